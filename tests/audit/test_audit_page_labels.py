"""The audit page speaks the reader's language: actions, roles, targets and fields by name."""

from django.utils import translation

from jiedu.audit import labels


def test_known_actions_roles_and_fields_read_as_chinese():
    with translation.override("zh-hans"):
        assert labels.action_label("resident.admitted") == "收治戒毒人员"
        assert labels.action_label("people.view_residents") == "查看戒毒人员"
        assert labels.role_label("facility_leader,prosecutor") == "所领导、检察人员"
        assert labels.role_label("system") == "系统"
        assert labels.target_label("people.resident") == "戒毒人员"
        assert labels.field_labels("people.resident", ["id_number", "current_room"]) == "身份证号码、当前房间"


def test_unknown_codes_fall_back_to_the_code_itself():
    assert labels.action_label("something.new") == "something.new"
    assert labels.target_label("nowhere.model") == "nowhere.model"
    assert labels.field_labels("people.resident", ["gone_field"]) == "gone_field"
