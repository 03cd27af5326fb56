# The public interface of `analysis`, loaded on first use (see __init__.py). Each name
# is re-exported as itself (`name as name`, the stub convention): lazy_loader takes
# no renaming.
from . import compare as compare
from . import jurisdictions as jurisdictions
from . import panels as panels
from . import sections as sections
from . import sources as sources
from .compare import matched_sets as matched_sets
from .compare import specification_curve as specification_curve
from .core.errors import AnalysisError as AnalysisError
from .core.errors import UnknownChoice as UnknownChoice
from .jurisdictions import definition_overlap as definition_overlap
from .jurisdictions import definition_summary as definition_summary
from .jurisdictions import list_definitions as list_definitions
from .jurisdictions import load_definition as load_definition
from .jurisdictions import load_resolution as load_resolution
from .panels.geometry import load_counties as load_counties
from .panels.geometry import load_states as load_states
from .panels.load import load_build_log as load_build_log
from .panels.load import load_panel as load_panel
