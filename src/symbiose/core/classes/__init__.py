"""Resource classes: the hierarchical vocabulary (kind -> family -> class) and EWC -> class.

    resource_classes() -> Mapping[str, ResourceClass]   # packaged vocabulary, by id
    families() -> Mapping[str, Family]
    class_label(class_id, language="fr") -> str
    ewc_class(text) -> str                              # "unclassified" when unknown
    ewc_class_map() -> Mapping[str, str]                # all 842 codes -> class id
"""

from symbiose.core.classes.ewc import ewc_class, ewc_class_map
from symbiose.core.classes.vocabulary import (
    KINDS,
    UNCLASSIFIED,
    Family,
    ResourceClass,
    VocabularyError,
    build_classes,
    class_label,
    families,
    resource_classes,
)

__all__ = [
    "KINDS",
    "UNCLASSIFIED",
    "Family",
    "ResourceClass",
    "VocabularyError",
    "build_classes",
    "class_label",
    "ewc_class",
    "ewc_class_map",
    "families",
    "resource_classes",
]
