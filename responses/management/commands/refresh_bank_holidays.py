"""Fetch GOV.UK's bank holidays and keep them under var/, where the clock prefers them."""

import json
import os
import tempfile

import requests
from django.core.management.base import BaseCommand, CommandError

from responses.working_days import (
    UK_DIVISIONS,
    BankHolidayDataError,
    clear_calendar_cache,
    load_bank_holiday_data,
    parse_bank_holiday_data,
    var_bank_holidays_path,
)

SOURCE_URL = "https://www.gov.uk/bank-holidays.json"


class Command(BaseCommand):
    help = (
        "Download the bank holiday list from GOV.UK and save it under var/. "
        "If the download fails, the data already in use is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default=SOURCE_URL)
        parser.add_argument(
            "--from-file", help="Use a GOV.UK bank-holidays.json saved by hand instead."
        )
        parser.add_argument("--timeout", type=float, default=10)

    def handle(self, *args, url, from_file, timeout, **options):
        raw = self.read_file(from_file) if from_file else self.download(url, timeout)
        try:
            parsed = parse_bank_holiday_data(raw)
        except BankHolidayDataError as error:
            raise CommandError(
                f"The bank holiday data is not in GOV.UK's format ({error}). "
                "Nothing was changed; the data already in use is kept."
            ) from None

        path = var_bank_holidays_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target then rename, so a reader never sees half a file.
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, prefix=".bank-holidays-", delete=False
        ) as handle:
            json.dump(raw, handle, ensure_ascii=False, indent=1)
        os.replace(handle.name, path)
        clear_calendar_cache()

        for division in UK_DIVISIONS:
            days = parsed[division]
            self.stdout.write(f"{division}: {len(days)} bank holidays, {min(days)} to {max(days)}")
        self.stdout.write(self.style.SUCCESS(f"Saved to {path}; deadlines now use it."))

    def read_file(self, name):
        try:
            with open(name, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read {name}: {error}") from None

    def download(self, url, timeout):
        try:
            response = requests.get(url, timeout=timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as error:
            _data, source = load_bank_holiday_data()
            raise CommandError(
                f"Could not download the bank holidays from {url} "
                f"({error.__class__.__name__}: {error}). Nothing was changed; deadlines "
                f"still use the bank holidays {source}."
            ) from None
