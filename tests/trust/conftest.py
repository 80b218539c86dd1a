from tests.frontdesk.conftest import client_person, room  # noqa: F401 - shared fixtures
