"""The demo's places are data (halte/demo/data/sites.toml): read whole, or refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from halte.demo.network import SITES, SITES_FILE, load_sites

GOOD = """
[events.opening]
status = "operational"
on = 2020-01-06
note = "Ouverture."

[service_sets]
caarud = ["reception", "material"]

[[sites]]
slug = "a"
name = "A"
operator = "Aurore"
kind = "caarud"
history = ["opening"]
services = "caarud"
"""


def test_the_file_names_each_site_once_with_its_history() -> None:
    slugs = [site.slug for site in SITES]
    assert len(slugs) == len(set(slugs)) == len(load_sites(SITES_FILE))
    assert all(site.history for site in SITES)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (('kind = "caarud"', 'kind = "caarrud"'), "'caarrud'"),
        (('services = "caarud"', 'services = ["reception", "bath"]'), "'bath'"),
        (('history = ["opening"]', 'history = ["closing"]'), "'closing'"),
        (('operator = "Aurore"', 'operator = "Nobody"'), "'Nobody'"),
        (('status = "operational"', 'status = "open"'), "'open'"),
    ],
)
def test_a_wrong_name_stops_the_load_and_says_which_site(
    tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(GOOD)
    assert [site.services for site in load_sites(path)] == [("reception", "material")]
    path.write_text(GOOD.replace(*change))
    with pytest.raises(ValueError, match=r"sites\.toml, site 'a'") as error:
        load_sites(path)
    assert said in str(error.value)
