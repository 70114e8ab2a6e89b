"""Classification of resources to classes, from EWC code and/or French/English free text.

    classify(label="", ewc="", kind="") -> Classification(class_id, confidence, method,
                                                         alternatives)
    text_evidence(label, kind="") -> dict[class_id, evidence]
"""

from symbiose.core.classify.classifier import Classification, classify, text_evidence
from symbiose.core.classify.text import fold, tokens

__all__ = ["Classification", "classify", "fold", "text_evidence", "tokens"]
