"""A stand-in for gym's CartPole-v1 (the physics of gym/envs/classic_control/cartpole.py, NumPy only),
so the reinforcement-learning examples run unchanged without gym installed. Same API as gym >= 0.26:
reset(seed=) -> (obs, info), step(a) -> (obs, reward, terminated, truncated, info), spec.reward_threshold.
CARTPOLE_REWARD_THRESHOLD (default gym's 475) lets a test stop the examples' "until solved" loop early."""
import math
import os
from types import SimpleNamespace

import numpy as np


class CartPoleEnv:
    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_threshold_radians, x_threshold, max_episode_steps = 12 * 2 * math.pi / 360, 2.4, 500

    def __init__(self):
        self.spec = SimpleNamespace(id="CartPole-v1", max_episode_steps=500,
                                    reward_threshold=float(os.environ.get("CARTPOLE_REWARD_THRESHOLD", 475.0)))
        self.np_random = np.random.default_rng()
        self.state, self.steps = None, 0

    def reset(self, seed=None):
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        self.state = self.np_random.uniform(low=-0.05, high=0.05, size=(4,))
        self.steps = 0
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta, sintheta = math.cos(theta), math.sin(theta)
        total_mass, polemass_length = self.masspole + self.masscart, self.masspole * self.length
        temp = (force + polemass_length * theta_dot**2 * sintheta) / total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta**2 / total_mass))
        xacc = temp - polemass_length * thetaacc * costheta / total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state = (x, x_dot, theta, theta_dot)
        self.steps += 1
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        truncated = self.steps >= self.max_episode_steps
        return np.array(self.state, dtype=np.float32), 1.0, terminated or truncated, truncated, {}

    def close(self):  # (gym's envs free their windows here: there are none)
        pass

    def render(self):
        pass


def make(name, **kwargs):
    assert name == "CartPole-v1", name
    return CartPoleEnv()
