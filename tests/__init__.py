from . import test_passive_profile
from . import test_touchpoint
from . import test_security
from . import test_contact_policy
from . import test_contact_caps
from . import test_preference_center
