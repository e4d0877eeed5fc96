"""The control stage: who holds which place since when, and attacks behind the front line.

Two entry points, both composed by :mod:`rearguard.pipeline` (neither runs another stage):

* :func:`~rearguard.control.statements.find_control` (incidents -> records per incident)
  turns capture, retaking, withdrawal and holding statements into
  :class:`~rearguard.types.ControlChange` records;
* :func:`~rearguard.control.rear.rear_areas` (events + records + the article's places and
  actors -> events) flags violent events in places the other side had taken before
  (rear-area attacks) and measures their distance to the front the article names.
"""

from .rear import find_fronts, flag_rear_areas, rear_areas
from .statements import ControlFinder, find_control, side

__all__ = ["ControlFinder", "find_control", "find_fronts", "flag_rear_areas", "rear_areas",
           "side"]
