"""The Hub's own settings (production mode, from the environment the runner sets up),
with the benchmark's URLconf so its reference views sit behind the same middleware."""

from coalition.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
