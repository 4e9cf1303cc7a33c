"""asv: wall time of a fresh ``sciml-estimators list`` and ``--help`` process.

Each timing starts the installed command in a new process, so it includes the
interpreter's start and every import the command makes; the registry imports
no torch, numba or simulators for these commands. ``startup_time.py`` prints
the same timings outside asv.
"""

from .startup_time import COMMANDS, command_path, wall_time


class Startup:
    params = list(COMMANDS)
    param_names = ["command"]

    def setup(self, argument):
        self.command = command_path()

    def time_command(self, argument):
        wall_time(self.command, argument)
