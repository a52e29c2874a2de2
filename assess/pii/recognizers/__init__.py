"""Built-in recognizers; importing this package registers them all (see ``assess.pii.recognizer``)."""

from assess.pii.recognizers import (  # noqa: F401 - imported for their @register side effect
    addresses,
    contact,
    financial,
    geo,
    identity,
    names,
    network,
    organization,
    sensitive,
    vehicle,
)
