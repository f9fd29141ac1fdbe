"""GB 11643 identity numbers: properties over generated numbers, then the cases users meet."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiedu.people.identity import (
    MAX_AGE,
    MIN_AGE,
    PROVINCE_CODES,
    InvalidIdNumber,
    age_on,
    check_character,
    make_id_number,
    parse_id_number,
)

TODAY = datetime.date(2026, 11, 1)
ALLOWED = "0123456789X"
PURE = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _with_check(first_17: str) -> str:
    return first_17 + check_character(first_17)


@st.composite
def valid_numbers(draw):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    county = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    # Ages MIN_AGE..MAX_AGE on TODAY: born after TODAY - (MAX_AGE + 1) years, on or before TODAY - MIN_AGE years.
    oldest = TODAY.replace(year=TODAY.year - MAX_AGE - 1) + datetime.timedelta(days=1)
    youngest = TODAY.replace(year=TODAY.year - MIN_AGE)
    birth = draw(st.dates(min_value=oldest, max_value=youngest))
    sequence = draw(st.integers(min_value=0, max_value=999))
    return _with_check(f"{province}{county}{birth:%Y%m%d}{sequence:03d}")


@PURE
@given(valid_numbers())
def test_every_generated_valid_number_passes(number):
    # given a number built from a known province, a plausible birth date and its check character
    # when it is parsed
    parsed = parse_id_number(number, today=TODAY)
    # then it is accepted as it is, with the birth date and sex it encodes
    assert parsed.number == number
    assert parsed.birth_date.strftime("%Y%m%d") == number[6:14]
    assert MIN_AGE <= age_on(parsed.birth_date, TODAY) <= MAX_AGE
    assert parsed.is_male == (int(number[16]) % 2 == 1)


@PURE
@given(valid_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from(ALLOWED))
def test_every_single_character_corruption_fails(number, position, replacement):
    # given a valid number with one character replaced by another allowed character
    if number[position] == replacement:
        replacement = ALLOWED[(ALLOWED.index(replacement) + 1) % len(ALLOWED)]
    corrupted = number[:position] + replacement + number[position + 1 :]
    assert corrupted != number
    # when it is parsed, then it is refused
    with pytest.raises(InvalidIdNumber):
        parse_id_number(corrupted, today=TODAY)


@PURE
@given(
    st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2010, 12, 31)),
    st.integers(min_value=0, max_value=5000),
    st.booleans(),
)
def test_make_id_number_gives_valid_numbers_of_the_requested_sex(birth, sequence, male):
    number = make_id_number(county="150102", birth_date=birth, sequence=sequence, male=male)
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.is_male is male
    assert parsed.birth_date == birth


def test_known_valid_number_with_x_check_character():
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.is_male is False  # 17th digit 2 is even


def test_real_number_with_county_unknown_to_stdnum_is_a_warning_not_an_error():
    # given 150102198001010014, whose county code python-stdnum's dated table rejects for 1980
    # when it is parsed
    parsed = parse_id_number("150102198001010014", today=TODAY)
    # then it is accepted, with a warning about the county
    assert parsed.number == "150102198001010014"
    assert parsed.is_male is True  # 17th digit 1 is odd
    assert len(parsed.warnings) == 1
    assert "county" in parsed.warnings[0].lower() or "县" in parsed.warnings[0]


def test_known_county_gives_no_warning():
    assert parse_id_number("11010519491231002X", today=TODAY).warnings == []


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        pytest.param("110105194912310021", "check_character", id="wrong-check-character"),
        pytest.param("11010519491231002", "length", id="length-17"),
        pytest.param("11010519491231002X0", "length", id="length-19"),
        pytest.param("", "length", id="empty"),
        pytest.param("1101051949123100XX", "charset", id="x-not-last"),
        pytest.param("11010519491231002A", "charset", id="letter-last"),
        pytest.param(_with_check("11010520270101001"), "birth_date", id="future-birth-date"),
        pytest.param(_with_check("11010519900231001"), "birth_date", id="31-february"),
        pytest.param(_with_check("11010519901301001"), "birth_date", id="month-13"),
        pytest.param(_with_check("99010519900101001"), "province", id="unknown-province-99"),
        pytest.param(_with_check("00010519900101001"), "province", id="province-00"),
        pytest.param(_with_check("11010520180101001"), "age", id="age-8"),
        pytest.param(_with_check("11010519200101001"), "age", id="age-106"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(raw, today=TODAY)
    assert caught.value.code == code
    assert str(caught.value.message)


def test_age_limits_are_inclusive():
    just_twelve = _with_check(f"110105{TODAY.replace(year=TODAY.year - 12):%Y%m%d}001")
    day_short_of_twelve = _with_check(
        f"110105{TODAY.replace(year=TODAY.year - 12) + datetime.timedelta(days=1):%Y%m%d}001"
    )
    assert parse_id_number(just_twelve, today=TODAY)
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(day_short_of_twelve, today=TODAY)
    assert caught.value.code == "age"


def test_lower_case_x_is_normalised():
    parsed = parse_id_number("11010519491231002x", today=TODAY)
    assert parsed.number == "11010519491231002X"


def test_full_width_digits_and_spaces_are_normalised():
    parsed = parse_id_number(" １１０１０５ １９４９１２３１ ００２Ｘ ", today=TODAY)
    assert parsed.number == "11010519491231002X"


def test_full_width_lower_case_x_is_normalised():
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ", today=TODAY).number == "11010519491231002X"


def test_non_ascii_digits_are_refused():
    # Arabic-Indic digits are "digits" to Python but not to GB 11643.
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in "11010519491231002") + "X"
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(arabic_indic, today=TODAY)
    assert caught.value.code == "charset"


@pytest.mark.parametrize(("digit", "male"), [(str(d), d % 2 == 1) for d in range(10)])
def test_sex_comes_from_the_17th_digit(digit, male):
    number = _with_check(f"1101051990010100{digit}")
    assert parse_id_number(number, today=TODAY).is_male is male


def test_check_character_follows_iso_7064_mod_11_2():
    assert check_character("11010519491231002") == "X"
    assert check_character("15010219800101001") == "4"


def test_prefix_without_county_entry_in_stdnum_is_a_warning_not_a_crash():
    # given 110001..., a Beijing prefix python-stdnum knows without a county (its lookup raised KeyError)
    number = _with_check("11000120000101000")
    # when it is parsed, then it is accepted with a county warning instead of crashing
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.number == number
    assert len(parsed.warnings) == 1
