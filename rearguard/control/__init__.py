"""The control stage: who holds which place since when, and attacks behind the front line.

* :mod:`rearguard.control.statements` turns capture, retaking, withdrawal and holding
  statements into :class:`~rearguard.types.ControlChange` records;
* :mod:`rearguard.control.rear` flags violent events in places the other side had taken
  before (rear-area attacks) and measures their distance to the front the article names.
"""

from .rear import find_fronts, flag_rear_areas
from .statements import ControlFinder, side

__all__ = ["ControlFinder", "find_fronts", "flag_rear_areas", "side"]
