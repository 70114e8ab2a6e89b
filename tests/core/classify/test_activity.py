"""The actor's activity informs the reading of its labels, and says so."""

from __future__ import annotations

from symbiose.core.classify import classify
from symbiose.core.knowledge import activity_classes
from symbiose.core.matching import match
from tests.core.matching.inline import actor, resource


def test_the_same_word_reads_as_each_trade_means_it() -> None:
    paper_mill = classify("Fibres", typical=activity_classes("17.12Z", "in"))
    weaver = classify("Fibres", typical=activity_classes("13.20Z", "in"))
    assert paper_mill.class_id == "paper"
    assert weaver.class_id == "textiles"
    # Without an activity the word is a tie, said with a low confidence.
    assert classify("Fibres").confidence < 0.5


def test_by_activity_is_said_only_when_the_activity_changed_the_reading() -> None:
    plain = classify("Fibres")
    weaver = classify("Fibres", typical=activity_classes("13.20Z", "in"))
    assert weaver.by_activity == (weaver.class_id != plain.class_id)
    assert not classify("Chutes d'acier", typical=activity_classes("25.11Z", "out")).by_activity


def test_the_activity_never_invents_a_class() -> None:
    assert not classify("Bonjour", typical=activity_classes("23.51Z", "in")).classified


def test_an_unknown_or_missing_activity_changes_nothing() -> None:
    for naf in ("", "99.99Z", "not a code"):
        assert classify("Fibres", typical=activity_classes(naf, "in")) == classify("Fibres")


def test_the_explanation_says_when_the_activity_decided() -> None:
    actors = [actor("knitter", naf="14.39Z"), actor("weaver", naf="13.20Z")]
    resources = [resource("knitter", "out", "Chutes de fils de laine", ewc="04 02 22"),
                 resource("weaver", "in", "Fibres")]
    english = match(actors, resources)
    french = match(actors, resources, language="fr")
    assert [p.receiver_id for p in english] == ["weaver"]
    assert "in the light of the receiver's activity" in (english[0].explanation or "")
    assert "d'après l'activité du receveur" in (french[0].explanation or "")


def test_only_the_typical_classes_the_label_names_count() -> None:
    # `classify` reduces the activity to those classes, so that trades agreeing on them
    # share one reading: a class the label does not name must never change it.
    unrelated = frozenset({"steam", "carpooling", "safety_training", "pallets"})
    for label, naf, direction in (("Fibres", "13.20Z", "in"), ("Fibres", "17.12Z", "in"),
                                  ("Chutes d'acier", "25.11Z", "out"),
                                  ("Boues", "10.51A", "out")):
        typical = activity_classes(naf, direction)
        assert classify(label, typical=typical | unrelated) == classify(label, typical=typical)
    assert classify("Fibres", typical=unrelated) == classify("Fibres")
