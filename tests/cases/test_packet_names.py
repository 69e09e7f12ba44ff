"""Names of the uploaded files in a packet: `materials/<material id>-<name>`,
numbered where a material has several, and never two entries with one name."""

from types import SimpleNamespace

import pytest

from app.cases.packets import entry_names
from app.documents import packet


def stored(material_id, name):
    return SimpleNamespace(material_id=material_id, download_name=name)


def test_one_file_keeps_its_plain_name_several_are_numbered_in_upload_order():
    files = [stored("id_card", "scan.jpg"), stored("business_license", "licence.pdf"), stored("id_card", "scan.jpg")]
    assert entry_names(files) == ["id_card-1-scan.jpg", "business_license-licence.pdf", "id_card-2-scan.jpg"]


def test_numbers_are_as_wide_as_the_count_so_the_pages_sort_in_order():
    names = entry_names([stored("scan", f"p{n}.png") for n in range(1, 11)])
    assert names[0] == "scan-01-p1.png" and names[-1] == "scan-10-p10.png" and names == sorted(names)


def test_names_that_would_collide_across_materials_stay_apart():
    files = [stored("a", "1-x.pdf"), stored("a-1", "x.pdf")]
    assert entry_names(files) == ["a-1-x.pdf", "a-1-x-2.pdf"]


def test_the_zip_refuses_two_entries_with_one_name():
    with pytest.raises(ValueError, match="one name"):
        packet.build_zip([("materials/a.pdf", b"1"), ("materials/a.pdf", b"2")], {})
