"""Files to import: CSV and XLSX written from rows, and the exports we read."""

import csv

from openpyxl import Workbook

# The columns of an Action Network activist export as this project knows them (no
# sample file from Action Network is in the repository: this is its documented shape).
ACTION_NETWORK_HEADER = ["uuid", "first_name", "last_name", "email", "zip_code",
                         "can2_country", "can2_state_abbreviated", "can2_user_city",
                         "can2_user_address", "can2_phone", "can2_sms_status",
                         "can2_subscription_status", "can2_user_tags"]
# A Google Forms response sheet: its timestamp, then each question's title.
GOOGLE_FORMS_HEADER = ["Timestamp", "Email Address", "What is your first name?",
                       "What is your last name?", "Street address (where you live)",
                       "ZIP code", "Phone number",
                       "Can we email you updates about the campaign?"]
HEADER = ["First Name", "Last Name", "Address", "ZIP", "Email", "Phone", "Date signed",
          "Email OK"]
ROSA = ["Rosa", "Parks", "1958 N Milwaukee Ave", "60647", "rosa@example.org",
        "(312) 555-0100", "2026-11-24", "yes"]
ANA = ["Ana", "Díaz", "2511 W Division St", "60622", "ana@example.org", "", "11/20/2026",
       "no"]
LUIS = ["Luis", "Gómez", "3400 S Halsted St", "60608", "", "", "", ""]


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def write_xlsx(path, rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return str(path)
