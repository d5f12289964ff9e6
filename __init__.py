from . import misc
from . import models
from . import wizards
from . import controllers
