from . import test_passive_profile
from . import test_touchpoint
from . import test_security
from . import test_contact_policy
from . import test_drip_sequence
from . import test_drip_concurrency
from . import test_drip_enroll
from . import test_drip_stop_rules
