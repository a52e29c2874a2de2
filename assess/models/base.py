"""What every model kind shares: the registry, the capabilities, and the one-line capability error.

A *kind* says how a plan's model is loaded (a transformers folder, an OpenAI-compatible endpoint,
a torch module, a scikit-learn estimator, an MLflow pyfunc). A *capability* says what an
assessment needs from it:

- ``classifier``: class probabilities, as a scikit-learn classifier (``predict_proba``,
  ``classes_``; ``fit`` where the kind can re-train, for reference models and label audits);
- ``text``: a :class:`assess.leakage.generators.TextModel` (``generate``; ``log_likelihood`` and
  ``token_scores`` where the kind can score texts).

A new kind is one subclass of :class:`ModelKind`; defining it registers it. Importing this module
imports no model library: each kind imports its own when it loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from assess.errors import InputError

CLASSIFIER = "classifier"
TEXT = "text"
CAPABILITY_NAMES = {CLASSIFIER: "give class probabilities", TEXT: "generate or score text"}

#: Registered kinds by name, in definition order.
KINDS: dict[str, type["ModelKind"]] = {}


class CapabilityError(InputError):
    """A model of some kind cannot do what an assessment needs; the message names kind, need and fix."""


class ModelKind:
    """One way of loading a model named in a plan.

    Subclasses set ``name``, ``capabilities``, ``options`` (plan keys beside ``uri`` and ``kind``,
    each with a one-line help) and implement :meth:`load`; :meth:`detects` lets a plan omit
    ``kind:`` where the URI says it.
    """

    name: ClassVar[str]
    capabilities: ClassVar[tuple[str, ...]]
    options: ClassVar[dict[str, str]] = {}
    #: One line for docs and errors: what the URI is.
    uri_help: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            KINDS[cls.name] = cls

    def __init__(self, spec):
        self.spec = spec
        self.options = dict(spec.options or {})

    @classmethod
    def detects(cls, uri: str, path: Path | None) -> bool:
        """True when ``uri`` (``path``: the same, when it is on disk) is evidently of this kind."""
        return False

    @property
    def where(self) -> str:
        return f"model {self.spec.role!r} (kind {self.name}, {self.spec.display_uri()})"

    def load(self, capability: str):
        """The model, adapted to ``capability``; raises :class:`CapabilityError` when it lacks it."""
        raise NotImplementedError

    def missing(self, capability: str, fix: str) -> CapabilityError:
        """The error for a capability this kind (or this model) does not have."""
        return CapabilityError(f"{self.where} cannot {CAPABILITY_NAMES.get(capability, capability)}: {fix}")

    def require(self, capability: str) -> None:
        if capability not in self.capabilities:
            kinds = ", ".join(k.name for k in KINDS.values() if capability in k.capabilities)
            raise self.missing(capability, f"this assessment needs a model of kind {kinds}; name one in the plan")
