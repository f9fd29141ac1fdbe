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


def test_a_refused_page_action_is_audited_like_an_api_one(member, facility_a, rf):
    from jiedu.audit.middleware import DeniedActionAuditMiddleware
    from jiedu.audit.models import AuditEvent
    from jiedu.common.errors import AccessDenied
    from jiedu.organisation.roles import Role

    request = rf.post("/somewhere/")
    request.user = member(Role.PROSECUTOR, facility_a)
    middleware = DeniedActionAuditMiddleware(lambda r: None)
    assert middleware.process_exception(request, AccessDenied("gate.record", facility_a.pk)) is None
    assert middleware.process_exception(request, ValueError("not ours")) is None
    denied = AuditEvent.objects.get()
    assert (denied.action, denied.outcome, denied.facility_id) == ("gate.record", "denied", facility_a.pk)
