# adapted from pytorch/examples differentiable_physics/mass_spring.py (matplotlib dropped, sizes shrunk)
import torch
import torch.nn as nn
import torch.optim as optim


class MassSpringSystem(nn.Module):
    def __init__(self, num_particles, springs, mass=1.0, dt=0.01, gravity=9.81, device="cpu"):
        super().__init__()
        self.device = device
        self.mass = mass
        self.springs = springs
        self.dt = dt
        self.gravity = gravity
        self.initial_position_0 = torch.tensor([0.0, 0.0], device=device)
        self.initial_positions_rest = nn.Parameter(torch.randn(num_particles - 1, 2, device=device))
        self.velocities = torch.zeros(num_particles, 2, device=device)

    def forward(self, steps):
        positions = torch.cat([self.initial_position_0.unsqueeze(0), self.initial_positions_rest], dim=0)
        velocities = self.velocities
        for _ in range(steps):
            forces = torch.zeros_like(positions)
            for (i, j, rest_length, stiffness) in self.springs:
                xi, xj = positions[i], positions[j]
                dir_vec = xj - xi
                dist = dir_vec.norm()
                force = stiffness * (dist - rest_length) * dir_vec / (dist + 1e-6)
                forces[i] += force
                forces[j] -= force
            forces[:, 1] -= self.gravity * self.mass
            acceleration = forces / self.mass
            velocities = velocities + acceleration * self.dt
            positions = positions + velocities * self.dt
            positions[0] = self.initial_position_0
            velocities[0] = torch.tensor([0.0, 0.0], device=positions.device)
        return positions


def train(epochs=10, steps=8, device="cpu"):
    torch.manual_seed(0)
    system = MassSpringSystem(3, springs=[(0, 1, 1.0, 10.0), (1, 2, 0.5, 5.0)], device=device)
    optimizer = optim.Adam(system.parameters(), lr=0.01)
    target_positions = torch.tensor([[0.0, 0.0], [1.0, 0.0], [1.5, 0.0]], device=device)
    for epoch in range(epochs):
        optimizer.zero_grad()
        final_positions = system(steps)
        loss = (final_positions - target_positions).pow(2).mean()
        loss.backward()
        optimizer.step()
        if (epoch + 1) % 5 == 0:
            print(f"Epoch {epoch+1}/{epochs}, Loss: {loss.item():.6f}")
    print(f"Final positions:\n{final_positions.detach().cpu().numpy()}")
    with torch.no_grad():
        print(system(steps).cpu().numpy())


import sys
train(device=sys.argv[1] if len(sys.argv) > 1 else "cpu")
