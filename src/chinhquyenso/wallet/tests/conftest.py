from chinhquyenso.dossiers.tests.conftest import at, world  # noqa: F401 (fixtures)
from chinhquyenso.signing.tests.conftest import _media, signing  # noqa: F401 (fixtures)
