from django.urls import path

from scheduling import desk_views, views

app_name = "scheduling"

urlpatterns = [
    path("doctor/", views.doctor_home, name="doctor-home"),
    path("patient/", views.patient_home, name="patient-home"),
    path("book/", views.book_start, name="book-start"),
    path("book/<int:doctor_pk>/", views.appointment_book, name="appointment-book"),
    path("book/<int:doctor_pk>/waitlist/", views.waitlist_join, name="waitlist-join"),
    path("waitlist/offers/<int:pk>/", views.waitlist_offer, name="waitlist-offer"),
    path(
        "manage/patients/<int:patient_pk>/bookings/",
        views.patient_future_bookings,
        name="patient-future-bookings",
    ),
    path("settings/notifications/", views.notification_settings, name="notification-settings"),
    path("calendar/<int:user_id>/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("book/next/", views.next_available, name="next-available"),
    path("appointments/", views.appointment_list, name="appointment-list"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment-detail"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment-cancel"),
    path(
        "appointments/<int:pk>/reschedule/",
        views.appointment_reschedule,
        name="appointment-reschedule",
    ),
    path(
        "appointments/<int:pk>/complete/", views.appointment_complete, name="appointment-complete"
    ),
    path(
        "appointments/<int:pk>/complete/record/",
        views.appointment_complete_with_treatment,
        name="appointment-complete-record",
    ),
    path("appointments/<int:pk>/no-show/", views.appointment_no_show, name="appointment-no-show"),
    path(
        "appointments/<int:pk>/check-in/",
        desk_views.appointment_check_in,
        name="appointment-check-in",
    ),
    # The front desk.
    path("desk/", desk_views.desk, name="desk"),
    path("desk/patients/new/", desk_views.desk_register, name="desk-register"),
    path("desk/patients/<int:pk>/", desk_views.desk_patient, name="desk-patient"),
    path("queue/call-next/", desk_views.queue_call_next, name="queue-call-next"),
    path("queue/display/<str:token>/", desk_views.queue_display, name="queue-display"),
    path("availability/", views.availability, name="availability"),
    path("availability/doctors/", views.availability_doctors, name="availability-doctors"),
    path(
        "availability/doctors/<int:doctor_pk>/",
        views.availability,
        name="availability-doctor",
    ),
    path(
        "availability/blocks/<int:pk>/delete/",
        views.availability_block_delete,
        name="availability-block-delete",
    ),
    path(
        "availability/exceptions/<int:pk>/delete/",
        views.availability_exception_delete,
        name="availability-exception-delete",
    ),
]
