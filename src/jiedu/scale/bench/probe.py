"""The in-process half of the benchmarks, run with DATABASE_URL set to one benchmark database:
``python -m jiedu.scale.bench.probe <step> [options]`` prints one JSON object.

Steps: ``overdue`` (the overdue-round selector for the facility with most residents in custody),
``dashboard`` (the bureau's epidemic panel through the test client), ``ingest-setup`` (a login
with a token and the zones' residents for whole rounds), ``report-setup`` (a clerk's token and
staff on leave with no reports yet, for the daily-report load).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys


def breakdown(action):
    from jiedu.scale.bench.breakdown import breakdown as measure

    return measure(action)


def request_breakdown(token: str, path: str, body: dict) -> dict:
    """One API POST through the test client (whole middleware stack), its SQL and the rest."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    client.get(path)  # warm-up: the first request of a process imports and builds what later ones reuse
    answer = {}

    def post():
        answer["status"] = client.post(path, data=body, content_type="application/json").status_code

    return breakdown(post) | answer


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedu.scale.bench.settings")
    import django

    django.setup()


def overdue(runs: int) -> dict:
    from django.db.models import Count

    from jiedu.health.selectors import overdue_today
    from jiedu.organisation.models import Facility
    from jiedu.people.models import Resident
    from jiedu.scale.bench.timing import summary_ms, timed_runs

    held = {
        row["facility_id"]: row["n"]
        for row in Resident.objects.filter(status=Resident.Status.IN_CUSTODY)
        .values("facility_id")
        .annotate(n=Count("id"))
    }
    facility = Facility.objects.get(pk=max(held, key=held.get))
    late, missed = overdue_today([facility])
    samples = timed_runs(lambda: overdue_today([facility]), runs)
    return {
        **summary_ms(samples),
        "breakdown": breakdown(lambda: overdue_today([facility])),
        "facility": facility.short_name,
        "in_custody": held[facility.pk],
        "overdue": len(late),
        "missed": len(missed),
    }


def _verified_client(user):
    """A test client logged in as ``user`` with the second factor shown (bureau leaders need it)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def dashboard(runs: int) -> dict:
    from django.urls import reverse

    from jiedu.accounts.models import User
    from jiedu.organisation.models import Membership
    from jiedu.organisation.roles import Role
    from jiedu.scale.bench.timing import summary_ms, timed_runs

    user = User.objects.get(pk=Membership.objects.filter(role=Role.BUREAU_LEADER).values("user_id")[:1])
    client = _verified_client(user)
    url = reverse("dashboard:epidemic")
    status = {}

    def render():
        response = client.get(url)
        status[response.status_code] = status.get(response.status_code, 0) + 1

    samples = timed_runs(render, runs)
    if set(status) != {200}:
        raise SystemExit(f"the epidemic panel answered {status}")
    return summary_ms(samples) | {"url": url, "breakdown": breakdown(render)}


def _token_for(role: str, facility) -> str:
    from rest_framework.authtoken.models import Token

    from jiedu.accounts.models import User
    from jiedu.organisation.models import Membership

    user, created = User.objects.get_or_create(
        username=f"bench-{role}-{facility.pk}", defaults={"display_name": "bench"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, facility=facility, role=role)
    return Token.objects.get_or_create(user=user)[0].key


def ingest_setup(round_size: int) -> dict:
    """Whole rounds: every zone with residents in custody, each round its first ``round_size``."""
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from jiedu.organisation.models import Zone
    from jiedu.organisation.roles import Role
    from jiedu.people.models import Resident

    in_custody = Resident.objects.filter(status=Resident.Status.IN_CUSTODY)
    counts = in_custody.values("current_zone_id").annotate(n=Count("id")).order_by("-n")
    biggest = counts[0]["n"]
    size = min(round_size, biggest)
    zones = [row["current_zone_id"] for row in counts if row["n"] >= size]
    rounds = [
        {"zone": zone_id, "residents": list(in_custody.filter(current_zone_id=zone_id)
                                            .order_by("id").values_list("id", flat=True)[:size])}
        for zone_id in zones
    ]  # fmt: skip
    facilities = {zone.facility for zone in Zone.objects.filter(pk__in=zones).select_related("facility")}
    tokens = {}
    for facility in facilities:
        tokens[facility.pk] = _token_for(Role.MEDICAL_STAFF, facility)
    facility_of = dict(Zone.objects.filter(pk__in=zones).values_list("pk", "facility_id"))
    users = dict(Token.objects.filter(key__in=tokens.values()).values_list("key", "user_id"))
    for item in rounds:
        item["token"] = tokens[facility_of[item["zone"]]]
        item["facility"] = facility_of[item["zone"]]
        item["user"] = users[item["token"]]
    return {"round_size": size, "rounds": rounds}


def report_setup(staff: int, days: int) -> dict:
    """``staff`` new staff members of the first facility, each on leave for the last ``days`` days
    with no report yet, and a clerk (facility officer) to submit for them."""
    from django.utils import timezone

    from jiedu.accounts.models import User
    from jiedu.organisation.models import Facility
    from jiedu.organisation.roles import Role
    from jiedu.people.identity import make_id_number
    from jiedu.people.models import Staff
    from jiedu.staffleave.models import LeavePeriod

    facility = Facility.objects.order_by("code").first()
    token = _token_for(Role.FACILITY_OFFICER, facility)
    clerk = User.objects.get(auth_token__key=token)
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    people = []
    for n in range(staff):
        member = Staff(facility=facility, police_number=f"B{n:06d}", name=f"测试民警{n}", sex="M",
                       status=Staff.Status.ON_LEAVE)  # fmt: skip
        member.set_id_number(make_id_number(county="150102", birth_date=datetime.date(1980, 1, 1)
                                            + datetime.timedelta(days=n // 500), sequence=n % 500 * 2 + 1, male=True))  # fmt: skip
        people.append(member)
    people = Staff.objects.bulk_create(people)
    LeavePeriod.objects.bulk_create(
        LeavePeriod(facility=facility, staff=member, starts_on=first, ends_on=today, created_by=clerk)
        for member in people
    )
    return {"token": token, "staff": [m.pk for m in people], "days": [
        (first + datetime.timedelta(days=n)).isoformat() for n in range(days)]}  # fmt: skip


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jiedu.scale.bench.probe")
    parser.add_argument("step", choices=["overdue", "dashboard", "ingest-setup", "report-setup", "request"])
    parser.add_argument("--token", default="")
    parser.add_argument("--path", default="")
    parser.add_argument("--body", default="{}", help="JSON body of the request step")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--round-size", type=int, default=500)
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args(argv)
    _django()
    if args.step == "overdue":
        result = overdue(args.runs)
    elif args.step == "dashboard":
        result = dashboard(args.runs)
    elif args.step == "request":
        result = request_breakdown(args.token, args.path, json.loads(args.body))
    elif args.step == "ingest-setup":
        result = ingest_setup(args.round_size)
    else:
        result = report_setup(args.staff, args.days)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
