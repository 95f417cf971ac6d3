"""Bad input gets a clear message in the user's language and changes nothing; two people editing
the same record never silently overwrite each other.

The ``[vi]`` variants need the Vietnamese catalogue (locale/vi) to translate the message.
"""

import json
from datetime import date

from django import forms
from django.utils import translation

from apps.accounts.models import Unit
from apps.core.models import ObjectChange
from tests.helpers import new_unit_form, page_text, unit_form


def django_says(language, message_factory) -> str:
    """A message Django itself words (unique, invalid choice), in the test's language."""
    with translation.override(language.code):
        return str(message_factory())


def unchanged(unit):
    fresh = Unit.objects.get(pk=unit.pk)
    return (fresh.name, fresh.code, fresh.path, fresh.version, fresh.valid_from, fresh.valid_to) == (
        unit.name,
        unit.code,
        unit.path,
        unit.version,
        unit.valid_from,
        unit.valid_to,
    )


def test_a_new_unit_ending_before_it_starts_is_refused_with_a_message(login, province, language):
    before = Unit.objects.count()
    response = login("admin").post(
        "/units/add/",
        new_unit_form(
            province.union,
            valid_from="2025-07-01",
            valid_to="2025-06-30",
        ),
    )
    assert response.status_code == 400
    assert language.says("The end of validity must not be before its start.") in page_text(response)
    assert Unit.objects.count() == before


def test_an_edit_ending_a_unit_before_it_starts_changes_nothing(login, province, language):
    union = province.union
    changes = ObjectChange.objects.count()
    response = login("admin").post(
        f"/units/{union.pk}/edit/",
        unit_form(
            union,
            valid_from="2025-07-01",
            valid_to="2024-12-31",
        ),
    )
    assert response.status_code == 400
    assert language.says("The end of validity must not be before its start.") in page_text(response)
    assert unchanged(union)
    assert ObjectChange.objects.count() == changes


def test_a_duplicate_code_is_refused_even_in_lower_case(login, province, language):
    before = Unit.objects.count()
    response = login("admin").post("/units/add/", new_unit_form(province.union, code="lhhn-tn"))
    assert response.status_code == 400
    expected = django_says(language, lambda: Unit(code="LHHN-TN").unique_error_message(Unit, ("code",)).messages[0])
    assert expected in page_text(response)
    if language.code == "vi":
        assert "đã tồn tại" in expected
    assert Unit.objects.count() == before


def test_renaming_a_code_onto_another_units_code_changes_nothing(login, province):
    department = province.department
    response = login("admin").post(f"/units/{department.pk}/edit/", unit_form(department, code="LHHN-TN"))
    assert response.status_code == 400
    assert unchanged(department)


def test_a_unit_cannot_be_moved_under_its_own_sub_unit_in_the_form(login, province, language):
    union = province.union
    response = login("admin").post(f"/units/{union.pk}/edit/", unit_form(union, parent=province.association.pk))
    assert response.status_code == 400
    expected = django_says(language, lambda: forms.ModelChoiceField.default_error_messages["invalid_choice"])
    assert expected in page_text(response)
    assert unchanged(union)
    assert Unit.objects.get_parent(Unit.objects.get(pk=union.pk)) == province.province


def test_a_unit_cannot_be_moved_under_itself_in_the_form(login, province):
    union = province.union
    response = login("admin").post(f"/units/{union.pk}/edit/", unit_form(union, parent=union.pk))
    assert response.status_code == 400
    assert unchanged(union)


def test_a_unit_cannot_be_moved_under_its_own_sub_unit_through_the_api(login, province, language):
    union = province.union
    response = login("admin").patch(
        f"/api/units/{union.pk}/",
        json.dumps({"version": union.version, "parent_id": province.association.pk}),
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == language.says("A unit cannot be placed under itself or one of its own sub-units.")
    assert body["errors"][0]["loc"] == ["parent"]
    assert unchanged(union)


def test_the_second_of_two_edits_from_the_same_form_is_refused_and_overwrites_nothing(login, province, language):
    client = login("admin")
    union = province.union
    form_page = client.get(f"/units/{union.pk}/edit/")
    assert f'name="_version" value="{union.version}"' in form_page.content.decode()

    first = client.post(f"/units/{union.pk}/edit/", unit_form(union, name="Tên do người thứ nhất đặt"))
    assert first.status_code == 302
    second = client.post(f"/units/{union.pk}/edit/", unit_form(union, name="Tên do người thứ hai đặt"))
    assert second.status_code == 400
    assert language.says(
        "Someone else changed this record after you opened the form. Reload the page to see their change, then edit again."
    ) in page_text(second)
    assert Unit.objects.get(pk=union.pk).name == "Tên do người thứ nhất đặt"


def test_a_form_posted_without_its_version_is_refused(login, province):
    union = province.union
    data = unit_form(union, name="Không có phiên bản")
    del data["_version"]
    response = login("admin").post(f"/units/{union.pk}/edit/", data)
    assert response.status_code == 400
    assert Unit.objects.get(pk=union.pk).name == union.name


def test_the_version_check_also_guards_people(signed_in, province):
    officer = province.officer_a
    data = {
        "username": officer.username,
        "full_name": "Tên thứ nhất",
        "position": "",
        "email": "",
        "phone": "",
        "is_active": "on",
        "_version": officer.version,
    }
    admin = signed_in("admin")
    assert admin.post(f"/users/{officer.pk}/edit/", data).status_code == 302
    assert admin.post(f"/users/{officer.pk}/edit/", {**data, "full_name": "Tên thứ hai"}).status_code == 400
    officer.refresh_from_db()
    assert officer.full_name == "Tên thứ nhất"


def test_two_different_passwords_are_refused(login, province, language):
    response = login("admin").post(
        "/users/add/",
        {
            "username": "nguoi.moi",
            "full_name": "Người Mới",
            "is_active": "on",
            "password1": "Mat-khau-thu-nhat-1",
            "password2": "Mat-khau-thu-hai-2",
            "unit": province.union.pk,
            "role": "officer",
        },
    )
    assert response.status_code == 400
    assert language.says("The two passwords differ.") in page_text(response)
    assert not province.union.roles.filter(user__username="nguoi.moi").exists()


def test_a_date_typed_the_vietnamese_way_is_understood(login, province):
    response = login("admin").post(
        "/units/add/", new_unit_form(province.union, code="NGAY-VN", valid_from="01/07/2025")
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="NGAY-VN").valid_from == date(2025, 7, 1)


def test_a_date_that_is_not_a_date_is_refused(login, province):
    before = Unit.objects.count()
    response = login("admin").post(
        "/units/add/", new_unit_form(province.union, code="NGAY-SAI", valid_from="31/02/2025")
    )
    assert response.status_code == 400
    assert Unit.objects.count() == before
