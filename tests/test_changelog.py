"""Every change is in the change log: who, what, before and after; pages and the API alike."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.accounts import services
from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from tests.helpers import assert_foreign_keys_hold, new_unit_form, page_text, unit_form, user_form
from tests.personas import PASSWORD


def changes_of(obj, action=None):
    qs = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(type(obj)), changed_object_id=obj.pk
    )
    if action:
        qs = qs.filter(action=action)
    return list(qs.order_by("id"))


def last_change(obj, action=None) -> ObjectChange:
    found = changes_of(obj, action)
    assert found, "no {} change logged for {!r}".format(action or "", obj)
    return found[-1]


def leaf_unit(province, code="LA-XOA", name="Đơn vị sẽ xóa"):
    with change_logging(user=None):
        return services.unit_create(parent=province.union, by=None, name=name, code=code, kind="other")


# -- units through the pages -------------------------------------------------------------------


def test_creating_a_unit_on_its_page_is_logged_with_the_user_and_the_new_values(login, province):
    response = login("admin").post("/units/add/", new_unit_form(province.union, name="Câu lạc bộ Ấn Độ", code="CLB-AD"))
    assert response.status_code == 302
    unit = Unit.objects.get(code="CLB-AD")
    change = last_change(unit)
    assert change.action == "create"
    assert change.user == province.admin and change.user_name == province.admin.username
    assert change.prechange_data is None
    assert change.postchange_data["name"] == "Câu lạc bộ Ấn Độ"
    assert change.postchange_data["parent"] == province.union.pk
    assert change.unit_id == unit.pk


def test_editing_a_unit_on_its_page_logs_the_old_and_the_new_name(login, province):
    old_name = province.union.name
    response = login("admin").post(
        f"/units/{province.union.pk}/edit/", unit_form(province.union, name="Liên hiệp hữu nghị (tên mới)")
    )
    assert response.status_code == 302
    change = last_change(province.union)
    assert change.action == "update"
    assert change.user == province.admin
    assert change.prechange_data["name"] == old_name
    assert change.postchange_data["name"] == "Liên hiệp hữu nghị (tên mới)"
    assert [field for field, _before, _after in change.diff()] == ["name"]


def test_moving_a_unit_to_another_parent_through_the_edit_form_logs_the_parent_before_and_after(login, province):
    association = province.association
    response = login("admin").post(f"/units/{association.pk}/edit/", unit_form(association, parent=province.ubnd.pk))
    assert response.status_code == 302
    assert Unit.objects.get_parent(Unit.objects.get(pk=association.pk)) == province.ubnd
    change = last_change(association)
    assert change.action == "update"
    assert change.prechange_data["parent"] == province.union.pk
    assert change.postchange_data["parent"] == province.ubnd.pk
    assert change.prechange_data["parent_name"] == province.union.name
    assert change.postchange_data["parent_name"] == province.ubnd.name


def test_deleting_a_unit_on_its_page_is_logged_with_what_it_was(login, province):
    unit = leaf_unit(province)
    response = login("admin").post(f"/units/{unit.pk}/delete/")
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    change = last_change(unit, "delete")
    assert change.user == province.admin
    assert change.prechange_data["name"] == "Đơn vị sẽ xóa"
    assert change.postchange_data is None
    assert_foreign_keys_hold()  # the deletion must be able to commit


def test_saving_a_form_without_changing_anything_writes_no_change(login, province):
    before = ObjectChange.objects.count()
    login("admin").post(f"/units/{province.union.pk}/edit/", unit_form(province.union))
    assert ObjectChange.objects.count() == before


# -- units through the API ---------------------------------------------------------------------


def test_creating_editing_moving_and_deleting_a_unit_through_the_api_is_logged_for_the_token_owner(bearer, province):
    api = bearer("admin")
    response = api.post(
        "/api/units/",
        json.dumps(
            {
                "name": "Hội hữu nghị Việt – Lào",
                "code": "hlh-lao",
                "kind": "association",
                "parent_id": province.union.pk,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(pk=response.json()["id"])
    created = last_change(unit, "create")
    assert created.user == province.admin
    assert str(created.request_id) == response["X-Request-ID"]
    assert created.postchange_data["code"] == "HLH-LAO"

    response = api.patch(
        f"/api/units/{unit.pk}/",
        json.dumps({"version": unit.version, "name": "Hội hữu nghị Việt Nam – Lào"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    renamed = last_change(unit, "update")
    assert renamed.user == province.admin
    assert renamed.prechange_data["name"] == "Hội hữu nghị Việt – Lào"
    assert renamed.postchange_data["name"] == "Hội hữu nghị Việt Nam – Lào"

    response = api.patch(
        f"/api/units/{unit.pk}/",
        json.dumps({"version": response.json()["version"], "parent_id": province.ubnd.pk}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent_id"] == province.ubnd.pk
    moved = last_change(unit, "update")
    assert (moved.prechange_data["parent"], moved.postchange_data["parent"]) == (province.union.pk, province.ubnd.pk)

    response = api.delete(f"/api/units/{unit.pk}/")
    assert response.status_code == 204
    deleted = last_change(unit, "delete")
    assert deleted.user == province.admin
    assert deleted.prechange_data["name"] == "Hội hữu nghị Việt Nam – Lào"
    assert_foreign_keys_hold()  # the deletion must be able to commit


# -- people and roles --------------------------------------------------------------------------


def test_adding_a_person_logs_the_person_and_their_first_role_but_never_the_password(login, province):
    response = login("admin").post(
        "/users/add/",
        {
            "username": "nguyen.van.an",
            "full_name": "Nguyễn Văn An",
            "position": "",
            "email": "an@example.org",
            "phone": "",
            "is_active": "on",
            "password1": "Mat-khau-rat-kho-2025",
            "password2": "Mat-khau-rat-kho-2025",
            "unit": province.union.pk,
            "role": "officer",
        },
    )
    assert response.status_code == 302, page_text(response)
    person = User.objects.get(username="nguyen.van.an")
    created = last_change(person, "create")
    assert created.user == province.admin
    assert created.postchange_data["full_name"] == "Nguyễn Văn An"
    role = RoleAssignment.objects.get(user=person)
    role_change = last_change(role, "create")
    assert role_change.user == province.admin
    assert role_change.postchange_data["role"] == "officer"
    assert role_change.unit_id == province.union.pk
    assert_no_password_anywhere_in_the_log("Mat-khau-rat-kho-2025", person)


def test_editing_a_person_logs_the_old_and_the_new_values(login, province):
    officer = province.officer_a
    response = login("admin").post(f"/users/{officer.pk}/edit/", user_form(officer, full_name="Trần Thị Bình"))
    assert response.status_code == 302, page_text(response)
    change = last_change(officer, "update")
    assert change.user == province.admin
    assert change.prechange_data["full_name"] == "Officer.A"
    assert change.postchange_data["full_name"] == "Trần Thị Bình"


def test_setting_a_new_password_for_someone_never_puts_it_in_the_change_log(login, province):
    officer = province.officer_a
    response = login("admin").post(
        f"/users/{officer.pk}/edit/",
        user_form(
            officer,
            position="Chuyên viên",
            password1="Mot-mat-khau-moi-99",
            password2="Mot-mat-khau-moi-99",
        ),
    )
    assert response.status_code == 302, page_text(response)
    assert_no_password_anywhere_in_the_log("Mot-mat-khau-moi-99", User.objects.get(pk=officer.pk))


def test_changing_ones_own_password_never_puts_it_in_the_change_log(login, province):
    response = login("officer_a").post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Doi-mat-khau-2025!",
            "new_password2": "Doi-mat-khau-2025!",
        },
    )
    assert response.status_code == 302
    assert_no_password_anywhere_in_the_log("Doi-mat-khau-2025!", User.objects.get(pk=province.officer_a.pk))


def assert_no_password_anywhere_in_the_log(raw_password, user):
    dump = json.dumps([[c.prechange_data, c.postchange_data] for c in ObjectChange.objects.all()], ensure_ascii=False)
    assert raw_password not in dump
    assert user.password not in dump
    for change in ObjectChange.objects.all():
        for data in (change.prechange_data or {}, change.postchange_data or {}):
            assert "password" not in data


def test_giving_and_removing_a_role_is_logged(login, province):
    client = login("admin")
    response = client.post("/roles/add/", {"user": province.officer_b.pk, "unit": province.union.pk, "role": "leader"})
    assert response.status_code == 302, page_text(response)
    role = RoleAssignment.objects.get(user=province.officer_b, unit=province.union, role="leader")
    given = last_change(role, "create")
    assert given.user == province.admin
    assert given.postchange_data == {
        **given.postchange_data,
        "user": province.officer_b.pk,
        "unit": province.union.pk,
        "role": "leader",
    }

    response = client.post(f"/roles/{role.pk}/delete/")
    assert response.status_code == 302
    removed = last_change(role, "delete")
    assert removed.user == province.admin
    assert removed.prechange_data["role"] == "leader"


# -- where people read the log -----------------------------------------------------------------


def test_the_history_tab_of_a_unit_shows_who_changed_which_field(english, login, province):
    client = login("admin")
    client.post(f"/units/{province.union.pk}/edit/", unit_form(province.union, phone="0277 3851 234"))
    response = client.get(f"/units/{province.union.pk}/?tab=history")
    assert response.status_code == 200
    history = page_text(response)
    history = history[history.index('id="object-history"') :]
    assert province.admin.get_full_name() in history
    assert "Phone" in history


def test_the_change_log_page_and_the_change_page_show_the_change(login, province):
    client = login("admin")
    client.post(f"/units/{province.union.pk}/edit/", unit_form(province.union, name="Liên hiệp đổi tên"))
    listing = page_text(client.get("/changelog/"))
    assert "Liên hiệp đổi tên" in listing
    change = last_change(province.union, "update")
    detail = client.get(change.get_absolute_url())
    assert detail.status_code == 200
    text = page_text(detail)
    assert "Liên hiệp các tổ chức hữu nghị tỉnh" in text and "Liên hiệp đổi tên" in text


def test_an_officer_of_another_unit_does_not_see_changes_to_unit_as_records(signed_in, province):
    signed_in("admin").post(f"/units/{province.union.pk}/edit/", unit_form(province.union, name="Liên hiệp đổi tên"))
    change = last_change(province.union, "update")

    client = signed_in("officer_b")
    assert "Liên hiệp đổi tên" not in page_text(client.get("/changelog/"))
    assert client.get(change.get_absolute_url()).status_code == 404
    assert change.pk not in {c["id"] for c in client.get("/api/changes/").json()["items"]}

    for who in ("officer_a", "admin", "leader"):
        client = signed_in(who)
        assert "Liên hiệp đổi tên" in page_text(client.get("/changelog/")), who
        assert client.get(change.get_absolute_url()).status_code == 200, who


@pytest.fixture
def three_changes(signed_in, province):
    """admin renames unit A and gives a role, the superuser renames unit B, a command adds a unit."""
    client = signed_in("admin")
    client.post(f"/units/{province.union.pk}/edit/", unit_form(province.union, name="Tên mới của Liên hiệp"))
    client.post("/roles/add/", {"user": province.officer_b.pk, "unit": province.association.pk, "role": "officer"})
    signed_in("superuser").post(
        f"/units/{province.department.pk}/edit/", unit_form(province.department, name="Tên mới của Sở")
    )
    with change_logging(user=None):
        leaf_unit(province, code="MOI-TAO", name="Đơn vị vừa tạo")
    return signed_in("admin")


def test_the_change_log_filters_by_action(three_changes):
    text = page_text(three_changes.get("/changelog/?action=create"))
    assert "Đơn vị vừa tạo" in text
    assert "Tên mới của Liên hiệp" not in text
    text = page_text(three_changes.get("/changelog/?action=update"))
    assert "Tên mới của Liên hiệp" in text and "Đơn vị vừa tạo" not in text


def test_the_change_log_filters_by_type(three_changes):
    roles = ContentType.objects.get_for_model(RoleAssignment)
    text = page_text(three_changes.get(f"/changelog/?changed_object_type={roles.pk}"))
    assert "Hội hữu nghị Việt Nam – Nhật Bản" in text  # the role's description names its unit
    assert "Tên mới của Liên hiệp" not in text and "Đơn vị vừa tạo" not in text


def test_the_change_log_filters_by_user(three_changes, province):
    text = page_text(three_changes.get(f"/changelog/?user_name={province.superuser.username}"))
    assert "Tên mới của Sở" in text
    assert "Tên mới của Liên hiệp" not in text
    text = page_text(three_changes.get(f"/changelog/?user_name={province.admin.username}"))
    assert "Tên mới của Liên hiệp" in text and "Tên mới của Sở" not in text


def test_the_change_log_is_scoped_like_people_too(signed_in, province):
    """The change log is "scoped like the records" (docs/architecture.md): whoever may see a person
    sees the changes made to them; an officer of another unit does not."""
    officer = province.officer_a
    signed_in("admin").post(f"/users/{officer.pk}/edit/", user_form(officer, full_name="Tên Mới Của Cán Bộ A"))
    change = last_change(officer, "update")
    for who in ("admin", "coordinator", "officer_a"):
        assert signed_in(who).get(change.get_absolute_url()).status_code == 200, who
    assert signed_in("officer_b").get(change.get_absolute_url()).status_code == 404
