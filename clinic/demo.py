"""Demo people and departments for `manage.py seed_demo`. Safe to run again."""

from __future__ import annotations

from datetime import date

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from clinic.models import Department, Doctor, Patient, doctor_name
from clinic.services import department_create, doctor_create, patient_register, patient_update

DEMO_PASSWORD = "hms-demo-2026!"
ADMIN_EMAIL = "admin@hms.local"
RECEPTION_EMAIL = "desk@hms.local"

DEPARTMENTS = [
    ("Cardiology", "Heart and blood vessels."),
    ("Orthopaedics", "Bones, joints and muscles."),
    ("Paediatrics", "Children from birth to 16."),
    ("General Medicine", "First consultations and chronic care."),
]

DOCTORS = [
    # email, first, last, department, specialization, qualification, years, minutes
    ("asha.rao@hms.local", "Asha", "Rao", "Cardiology", "Interventional cardiology",
     "MBBS, MD, DM (Cardiology)", 14, 20),
    ("vikram.mehta@hms.local", "Vikram", "Mehta", "Orthopaedics", "Joint replacement",
     "MBBS, MS (Ortho)", 11, 15),
    ("neha.iyer@hms.local", "Neha", "Iyer", "Paediatrics", "Neonatology",
     "MBBS, MD (Paediatrics)", 8, 15),
    ("arjun.kapoor@hms.local", "Arjun", "Kapoor", "General Medicine", "Diabetes care",
     "MBBS, MD (Medicine)", 19, 15),
]  # fmt: skip

# Karnataka Medical Council numbers, made up.
REGISTRATION = {
    "asha.rao@hms.local": "KMC 45123",
    "vikram.mehta@hms.local": "KMC 51877",
    "neha.iyer@hms.local": "KMC 60342",
    "arjun.kapoor@hms.local": "KMC 38290",
}

PATIENTS = [
    ("priya.sharma@example.com", "Priya", "Sharma", "+91 98450 00001"),
    ("rahul.verma@example.com", "Rahul", "Verma", "+91 98450 00002"),
    ("meera.nair@example.com", "Meera", "Nair", "+91 98450 00003"),
]

# What the demo patients' profiles say (date of birth, gender, blood group),
# so the printable prescription has an age and a sex.
PROFILES = {
    "priya.sharma@example.com": (date(1988, 3, 14), "female", "B+"),
    "rahul.verma@example.com": (date(1975, 9, 2), "male", "O+"),
    "meera.nair@example.com": (date(2016, 6, 21), "female", "A+"),
}

# Today's first patients of each demo doctor (two each, in doctor order): they
# have accounts like everyone, but only the three above are demo logins.
DAY_PATIENTS = [
    ("anil.kumar@example.com", "Anil", "Kumar", "+91 98450 00011"),
    ("sunita.reddy@example.com", "Sunita", "Reddy", "+91 98450 00012"),
    ("farhan.sheikh@example.com", "Farhan", "Sheikh", "+91 98450 00013"),
    ("lakshmi.pillai@example.com", "Lakshmi", "Pillai", "+91 98450 00014"),
    ("gurpreet.singh@example.com", "Gurpreet", "Singh", "+91 98450 00015"),
    ("deepa.joshi@example.com", "Deepa", "Joshi", "+91 98450 00016"),
    ("rohan.das@example.com", "Rohan", "Das", "+91 98450 00017"),
    ("kavitha.rajan@example.com", "Kavitha", "Rajan", "+91 98450 00018"),
]


def seed_directory() -> list[tuple[str, str]]:
    """Create what is missing; return (role, e-mail) of every demo login."""
    logins = [("admin", ADMIN_EMAIL)]
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        user_create(
            email=ADMIN_EMAIL,
            first_name="Hospital",
            last_name="Administrator",
            role=Role.ADMIN,
            password=DEMO_PASSWORD,
        )
    logins.append(("reception", RECEPTION_EMAIL))
    if not User.objects.filter(email=RECEPTION_EMAIL).exists():
        user_create(
            email=RECEPTION_EMAIL,
            first_name="Front",
            last_name="Desk",
            role=Role.RECEPTION,
            password=DEMO_PASSWORD,
        )
    departments = {}
    for name, description in DEPARTMENTS:
        department = Department.objects.filter(name__iexact=name).first()
        departments[name] = department or department_create(name=name, description=description)
    for email, first, last, dept, spec, qual, years, minutes in DOCTORS:
        logins.append(("doctor", email))
        if not Doctor.objects.filter(user__email=email).exists():
            doctor_create(
                email=email,
                first_name=first,
                last_name=last,
                department=departments[dept],
                specialization=spec,
                qualification=qual,
                registration_number=REGISTRATION[email],
                experience_years=years,
                consultation_minutes=minutes,
                bio=f"{doctor_name(first, last)} has practised {spec.lower()} for {years} years.",
                password=DEMO_PASSWORD,
            )
    for email, first, last, phone in PATIENTS + DAY_PATIENTS:
        if (email, first, last, phone) in PATIENTS:
            logins.append(("patient", email))
        if not Patient.objects.filter(user__email=email).exists():
            patient = patient_register(
                email=email, first_name=first, last_name=last, phone=phone, password=DEMO_PASSWORD
            )
            if email in PROFILES:
                born, gender, blood = PROFILES[email]
                patient_update(
                    patient=patient, phone=phone, date_of_birth=born, gender=gender,
                    blood_group=blood, address="", emergency_contact_name="",
                    emergency_contact_phone="", allergies="",
                )  # fmt: skip
    return logins
