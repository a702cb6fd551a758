"""A physics-informed neural network for Burgers' equation as the popular PyTorch port of Raissi's PINNs
(jayroxis/PINNs, Burgers Identification/Inference) writes it: an OrderedDict MLP of Tanh layers, inputs
made by torch.tensor(numpy, requires_grad=True).float() (a non-leaf), u_t, u_x, u_xx by
torch.autograd.grad(create_graph=True), Adam warm-up then LBFGS(line_search_fn="strong_wolfe") with a
closure; the inverse problem's learnable lambdas; then the Jacobian/Hessian checks users add with
torch.autograd.functional. 200 collocation points and 20 LBFGS iterations in place of 10,000 and
50,000; the exact solution file replaced by the initial and boundary conditions."""
from collections import OrderedDict

import numpy as np
import torch

np.random.seed(1234)
torch.manual_seed(1234)

# CUDA support
if torch.cuda.is_available():
    device = torch.device('cuda')
else:
    device = torch.device('cpu')


# the deep neural network
class DNN(torch.nn.Module):
    def __init__(self, layers):
        super(DNN, self).__init__()

        # parameters
        self.depth = len(layers) - 1

        # set up layer order dict
        self.activation = torch.nn.Tanh

        layer_list = list()
        for i in range(self.depth - 1):
            layer_list.append(
                ('layer_%d' % i, torch.nn.Linear(layers[i], layers[i+1]))
            )
            layer_list.append(('activation_%d' % i, self.activation()))

        layer_list.append(
            ('layer_%d' % (self.depth - 1), torch.nn.Linear(layers[-2], layers[-1]))
        )
        layerDict = OrderedDict(layer_list)

        # deploy layers
        self.layers = torch.nn.Sequential(layerDict)

    def forward(self, x):
        out = self.layers(x)
        return out


# the physics-guided neural network
class PhysicsInformedNN():
    def __init__(self, X_u, u, X_f, layers, lb, ub, nu, max_iter):

        # boundary conditions
        self.lb = torch.tensor(lb).float().to(device)
        self.ub = torch.tensor(ub).float().to(device)

        # data
        self.x_u = torch.tensor(X_u[:, 0:1], requires_grad=True).float().to(device)
        self.t_u = torch.tensor(X_u[:, 1:2], requires_grad=True).float().to(device)
        self.x_f = torch.tensor(X_f[:, 0:1], requires_grad=True).float().to(device)
        self.t_f = torch.tensor(X_f[:, 1:2], requires_grad=True).float().to(device)
        self.u = torch.tensor(u).float().to(device)

        self.layers = layers
        self.nu = nu

        # deep neural networks
        self.dnn = DNN(layers).to(device)

        # optimizers: using the same settings
        self.optimizer = torch.optim.LBFGS(
            self.dnn.parameters(),
            lr=1.0,
            max_iter=max_iter,
            max_eval=max_iter,
            history_size=50,
            tolerance_grad=1e-5,
            tolerance_change=1.0 * np.finfo(float).eps,
            line_search_fn="strong_wolfe"       # can be "strong_wolfe"
        )

        self.iter = 0

    def net_u(self, x, t):
        u = self.dnn(torch.cat([x, t], dim=1))
        return u

    def net_f(self, x, t):
        """ The pytorch autograd version of calculating residual """
        u = self.net_u(x, t)

        u_t = torch.autograd.grad(
            u, t,
            grad_outputs=torch.ones_like(u),
            retain_graph=True,
            create_graph=True
        )[0]
        u_x = torch.autograd.grad(
            u, x,
            grad_outputs=torch.ones_like(u),
            retain_graph=True,
            create_graph=True
        )[0]
        u_xx = torch.autograd.grad(
            u_x, x,
            grad_outputs=torch.ones_like(u_x),
            retain_graph=True,
            create_graph=True
        )[0]

        f = u_t + u * u_x - self.nu * u_xx
        return f

    def loss_func(self):
        self.optimizer.zero_grad()

        u_pred = self.net_u(self.x_u, self.t_u)
        f_pred = self.net_f(self.x_f, self.t_f)
        loss_u = torch.mean((self.u - u_pred) ** 2)
        loss_f = torch.mean(f_pred ** 2)

        loss = loss_u + loss_f

        loss.backward()
        self.iter += 1
        if self.iter % 10 == 0:
            print(
                'Iter %d, Loss: %.5e, Loss_u: %.5e, Loss_f: %.5e' % (self.iter, loss.item(), loss_u.item(), loss_f.item())
            )
        return loss

    def train(self):
        self.dnn.train()

        # Backward and optimize
        self.optimizer.step(self.loss_func)

    def predict(self, X):
        x = torch.tensor(X[:, 0:1], requires_grad=True).float().to(device)
        t = torch.tensor(X[:, 1:2], requires_grad=True).float().to(device)

        self.dnn.eval()
        u = self.net_u(x, t)
        f = self.net_f(x, t)
        u = u.detach().cpu().numpy()
        f = f.detach().cpu().numpy()
        return u, f


nu = 0.01 / np.pi
N_u = 40
N_f = 200
layers = [2, 12, 12, 12, 1]

# initial condition u(x, 0) = -sin(pi x) and the boundaries u(+-1, t) = 0
x0 = np.random.uniform(-1, 1, (N_u // 2, 1))
tb = np.random.uniform(0, 1, (N_u // 2, 1))
xb = np.where(np.random.rand(N_u // 2, 1) < 0.5, -1.0, 1.0)
X_u_train = np.vstack([np.hstack([x0, np.zeros_like(x0)]), np.hstack([xb, tb])])
u_train = np.vstack([-np.sin(np.pi * x0), np.zeros_like(tb)])
lb = np.array([-1.0, 0.0])
ub = np.array([1.0, 1.0])
X_f_train = lb + (ub - lb) * np.random.rand(N_f, 2)
X_f_train = np.vstack((X_f_train, X_u_train))
print(X_u_train.shape, X_f_train.shape, u_train.dtype)

model = PhysicsInformedNN(X_u_train, u_train, X_f_train, layers, lb, ub, nu, max_iter=20)
print(model.dnn)
print(model.x_u.is_leaf, model.x_u.requires_grad, model.x_u.grad_fn.name(), model.x_u.dtype)

# an Adam warm-up, as the later notebooks do before LBFGS
adam = torch.optim.Adam(model.dnn.parameters(), lr=1e-3)
for epoch in range(5):
    adam.zero_grad()
    u_pred = model.net_u(model.x_u, model.t_u)
    f_pred = model.net_f(model.x_f, model.t_f)
    loss = torch.mean((model.u - u_pred) ** 2) + torch.mean(f_pred ** 2)
    loss.backward()
    adam.step()
    print('Adam epoch %d, loss %.5e' % (epoch, loss.item()))

model.train()
state = model.optimizer.state_dict()["state"][0]
print(model.iter, state["func_evals"], state["n_iter"], sorted(state))
print(len(state["old_dirs"]), f"{state['t']:.5f}" if isinstance(state['t'], float) else state['t'])

X_star = np.hstack([np.linspace(-1, 1, 9)[:, None], 0.5 * np.ones((9, 1))])
u_pred, f_pred = model.predict(X_star)
print('u(x, 0.5):', np.array2string(u_pred.ravel(), precision=4, suppress_small=True))
print('residual:', f"{np.abs(f_pred).mean():.4e}")
print(model.x_f.grad, model.dnn.layers.layer_0.weight.grad.shape)


# the inverse problem: nu learned with the network (the identification notebook's lambdas)
class InversePINN(PhysicsInformedNN):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lambda_1 = torch.tensor([0.0], requires_grad=True).to(device)
        self.lambda_2 = torch.tensor([-6.0], requires_grad=True).to(device)
        self.lambda_1 = torch.nn.Parameter(self.lambda_1)
        self.lambda_2 = torch.nn.Parameter(self.lambda_2)
        self.dnn.register_parameter('lambda_1', self.lambda_1)
        self.dnn.register_parameter('lambda_2', self.lambda_2)
        self.optimizer_Adam = torch.optim.Adam(self.dnn.parameters())

    def net_f(self, x, t):
        lambda_1 = self.lambda_1
        lambda_2 = torch.exp(self.lambda_2)
        u = self.net_u(x, t)
        u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), retain_graph=True,
                                  create_graph=True)[0]
        u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), retain_graph=True,
                                  create_graph=True)[0]
        u_xx = torch.autograd.grad(u_x, x, grad_outputs=torch.ones_like(u_x), retain_graph=True,
                                   create_graph=True)[0]
        return u_t + lambda_1 * u * u_x - lambda_2 * u_xx


inverse = InversePINN(X_u_train, u_train, X_f_train, layers, lb, ub, nu, max_iter=20)
print([n for n, _ in inverse.dnn.named_parameters()][-3:])
for it in range(6):
    u_pred = inverse.net_u(inverse.x_u, inverse.t_u)
    f_pred = inverse.net_f(inverse.x_f, inverse.t_f)
    loss = torch.mean((inverse.u - u_pred) ** 2) + torch.mean(f_pred ** 2)
    inverse.optimizer_Adam.zero_grad()
    loss.backward()
    inverse.optimizer_Adam.step()
    print('It: %d, Loss: %.3e, Lambda_1: %.3f, Lambda_2: %.6f' %
          (it, loss.item(), inverse.lambda_1.item(), torch.exp(inverse.lambda_2.detach()).item()))

# the derivative checks users add: torch.autograd.functional on the trained network
net = model.dnn
point = torch.tensor([[0.3, 0.5]], device=device)
J = torch.autograd.functional.jacobian(lambda p: net(p), point)
H = torch.autograd.functional.hessian(lambda p: net(p).sum(), point)
print(J.shape, H.shape)
p = point.clone().requires_grad_()
g, = torch.autograd.grad(net(p).sum(), p, create_graph=True)
u_xx = torch.autograd.grad(g[0, 0], p)[0][0, 0]
print(f"u_x from jacobian {J[0, 0, 0, 0].item():.6f} grad {g[0, 0].item():.6f}")
print(f"u_xx from hessian {H[0, 0, 0, 0].item():.6f} grad {u_xx.item():.6f}")
Jv = torch.autograd.functional.jacobian(lambda p: net(p), torch.rand(3, 2, device=device), vectorize=True)
Jf = torch.autograd.functional.jacobian(lambda p: net(p), torch.rand(3, 2, device=device), vectorize=True,
                                        strategy="forward-mode")
print(Jv.shape, Jf.shape)
_, vhp = torch.autograd.functional.vhp(lambda p: net(p).sum(), point, torch.ones(1, 2, device=device))
_, hvp = torch.autograd.functional.hvp(lambda p: net(p).sum(), point, torch.ones(1, 2, device=device))
print(f"vhp {vhp.tolist()[0][0]:.6f} hvp {hvp.tolist()[0][0]:.6f}")
try:
    torch.autograd.functional.jacobian(lambda p: net(p), torch.rand(3, 2, device=device), strategy="forward-mode")
except ValueError as e:
    print("ValueError:", e)
