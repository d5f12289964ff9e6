from . import test_passive_profile
from . import test_touchpoint
from . import test_security
