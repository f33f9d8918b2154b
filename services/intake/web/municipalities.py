"""The municipalities for the form's <select> and for checking a submitted GM code (libs/reference)."""
from libs.reference.municipalities import by_name

MUNICIPALITIES = by_name()                     # ((gm_code, name), ...) in alphabetical order
MUNICIPALITY_NAMES = dict(MUNICIPALITIES)      # gm_code -> name
