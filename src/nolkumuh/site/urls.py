from django.urls import include, path, register_converter

from nolkumuh.accounts import password_views as passwords
from nolkumuh.accounts import user_import_views as user_import
from nolkumuh.accounts import user_views as users
from nolkumuh.accounts import views as accounts
from nolkumuh.baseline import quality_views as baseline_quality
from nolkumuh.baseline import review_views as baseline_review
from nolkumuh.baseline import views as baseline
from nolkumuh.core import job_views as core_jobs
from nolkumuh.core.bounds import YearConverter
from nolkumuh.core.health import health
from nolkumuh.monitoring import construction_views as construction
from nolkumuh.monitoring import edit_views as monitoring_edit
from nolkumuh.monitoring import kpp_views as kpp
from nolkumuh.monitoring import views as monitoring
from nolkumuh.planning import cost_views as planning_costs
from nolkumuh.planning import views as planning
from nolkumuh.planning.realization import realized_volumes
from nolkumuh.planning.realization_section import kelurahan_realizations
from nolkumuh.portal import map_views as maps
from nolkumuh.portal import profiles as regions
from nolkumuh.portal import task_views as portal_tasks
from nolkumuh.portal import views as portal
from nolkumuh.training import checkin_views as checkin
from nolkumuh.training import event_views as events
from nolkumuh.training import participant_views as participants
from nolkumuh.training import people_views as people
from nolkumuh.training import report_views as reports
from nolkumuh.training import score_views as scores

# <year:year>: four digits within the bounds table (1990-2100); other years answer 404
register_converter(YearConverter, "year")
handler404 = "nolkumuh.core.errors.not_found"
handler403 = "nolkumuh.core.errors.forbidden"
handler500 = "nolkumuh.core.errors.server_error"

core_urls = (
    [
        path("", portal.home, name="home"),
        path("cari/", portal.search, name="search"),
        path("bantuan/", portal.help_page, name="help"),
        path("bantuan/img/<str:name>", portal.help_image, name="help_image"),
        path("favicon.ico", portal.favicon, name="favicon"),
        path("tugas/<uuid:pk>/", core_jobs.job_page, name="job"),
        path("tugas/<uuid:pk>/unduh/", core_jobs.job_download, name="job_download"),
        path("tugas-saya/", portal_tasks.my_tasks, name="my_tasks"),
        path("tugas-saya/langkah/", portal_tasks.bulk_step_view, name="bulk_step"),
        path("sehat/", health, name="health"),
    ],
    "core",
)
accounts_urls = (
    [
        path("masuk/", accounts.login_view, name="login"),
        path("keluar/", accounts.logout_view, name="logout"),
        path("saya/", accounts.home, name="home"),
        path("sandi/", passwords.password_change, name="password_change"),
        path("lupa-sandi/", passwords.ResetView.as_view(), name="password_reset"),
        path("lupa-sandi/terkirim/", passwords.ResetDoneView.as_view(), name="password_reset_done"),
        path(
            "lupa-sandi/<uidb64>/<token>/",
            passwords.ResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        path("lupa-sandi/selesai/", passwords.ResetCompleteView.as_view(), name="password_reset_complete"),
    ],
    "accounts",
)
users_urls = (
    [
        path("", users.user_list, name="list"),
        path("baru/", users.user_new, name="new"),
        path("<int:pk>/", users.user_edit, name="edit"),
        path("<int:pk>/aktif/", users.user_active, name="active"),
        path("<int:pk>/sandi/", users.user_reset, name="reset"),
        path("impor/", user_import.users_import, name="import"),
        path("impor/templat.xlsx", user_import.users_template_download, name="template"),
        path("impor/kata-sandi.xlsx", user_import.users_passwords_download, name="passwords"),
    ],
    "users",
)
regions_urls = (
    [
        path("indonesia/", regions.nation_profile, name="nation"),
        path("wilayah/<str:code>/", regions.region_profile, name="profile"),
        path("kawasan/<int:pk>/", regions.kawasan_profile, name="kawasan"),
        path("rt/<int:pk>/", regions.rt_profile, name="rt"),
        path("wilayah/<str:code>/kawasan-baru/", regions.kawasan_edit, name="kawasan_new"),
        path("peta/<str:code>/", maps.map_page, name="map"),
        path("peta/<str:code>/lapisan.geojson", maps.map_geojson, name="map_geojson"),
        path("peta/<str:code>/unduh.<str:fmt>", maps.map_export, name="map_export"),
        path("peta/<str:code>/peta.png", maps.map_image, name="map_image"),
        path("batas/impor/", maps.boundary_import, name="boundary_import"),
        path("wilayah/<str:code>/sk/", maps.decree_compare, name="decrees"),
        path("wilayah/<str:code>/sk/lapisan.geojson", maps.decree_layer, name="decree_layer"),
        path("batas/uji/<str:token>/", maps.boundary_review, name="boundary_review"),
        path("wilayah/<str:code>/kawasan/<int:pk>/ubah/", regions.kawasan_edit, name="kawasan_edit"),
    ],
    "regions",
)
baseline_urls = (
    [
        # planning stands above the data rounds: its parts of these pages are handed in here
        path(
            "data/<str:code>/<year:year>/",
            baseline.kelurahan_data,
            {"sections": [kelurahan_realizations]},
            name="kelurahan",
        ),
        path("data/<str:code>/<year:year>/rt-baru/", baseline.rt_new, name="rt_new"),
        path("data/<str:code>/<year:year>/rt/<int:pk>/", baseline.rt_edit, name="rt_edit"),
        path("data/<str:code>/<year:year>/pratinjau/", baseline.rt_preview, name="rt_preview"),
        path(
            "data/<str:code>/<year:year>/templat.xlsx",
            baseline.template_download,
            {"handled": realized_volumes},
            name="template",
        ),
        path("data/<str:code>/<year:year>/<str:action>/", baseline.transition, name="transition"),
        path("impor/<year:year>/", baseline.import_start, name="import"),
        path("impor/konfirmasi/<str:token>/", baseline.import_confirm, name="import_confirm"),
        path("impor/tandai/<str:token>/", baseline.import_marked, name="import_marked"),
        path("unduh/<str:code>/", baseline.export, name="export"),
        path("kelengkapan/<str:code>/", baseline.completeness, name="completeness"),
        path("kualitas/<str:code>/", baseline_quality.quality_region, name="quality"),
        path("tinjau/<str:code>/<year:year>/", baseline_review.review, name="review"),
        path("buka-kunci/<str:code>/<year:year>/", baseline_review.unlock_request, name="unlock_request"),
        path(
            "buka-kunci/<str:code>/<year:year>/<int:pk>/tarik/",
            baseline_review.unlock_withdraw,
            name="unlock_withdraw",
        ),
        path(
            "data/<str:code>/<year:year>/kualitas/periksa/", baseline_quality.flag_review, name="flag_review"
        ),
    ],
    "baseline",
)

planning_urls = (
    [
        path("rencana/wilayah/<str:code>/", planning.plan_list, name="list"),
        path("rencana/<int:pk>/", planning.plan_page, name="plan"),
        path("rencana/<int:pk>/optimasi/", planning.plan_optimize, name="optimize"),
        path("rencana/<int:pk>/memorandum.docx", planning.plan_docx, name="docx"),
        path("rencana/<int:pk>/templat.xlsx", planning.plan_template, name="template"),
        path("rencana/<int:pk>/impor/", planning.plan_import, name="import"),
        path("realisasi/<str:code>/<year:year>/baru/", planning.realization_new, name="realization_new"),
        path("realisasi/<int:pk>/<str:action>/", planning.realization_action, name="realization_action"),
        path("rencana/<int:pk>/memorandum.xlsx", planning.plan_xlsx, name="xlsx"),
        path("rencana/harga/<str:code>/", planning_costs.unit_costs, name="unit_costs"),
        path("rencana/<int:pk>/realisasi-kawasan/", planning.realization_kawasan, name="realization_kawasan"),
    ],
    "planning",
)

training_urls = (
    [
        path("", events.training_home, name="home"),
        path("program/<int:pk>/", events.programme_page, name="programme"),
        path("kegiatan/<int:pk>/", events.event_page, name="event"),
        path("kegiatan/<int:pk>/bagi/", events.event_allocate_view, name="allocate"),
        path("kegiatan/<int:pk>/peserta/", participants.event_participants, name="participants"),
        path(
            "kegiatan/<int:pk>/peserta/impor/", participants.participants_import, name="participants_import"
        ),
        path("kegiatan/<int:pk>/peserta.xlsx", participants.event_lists, name="lists"),
        path("kegiatan/<int:pk>/tempat/<int:venue>/cetak/", participants.venue_print, name="venue_print"),
        path("kegiatan/<int:pk>/nilai/", scores.event_scores, name="scores"),
        path("kegiatan/<int:pk>/nilai/isi/", scores.event_scores_entry, name="scores_entry"),
        path("kegiatan/<int:pk>/laporan/", reports.event_report_view, name="report"),
        path("kegiatan/<int:pk>/sertifikat.docx", reports.event_certificates, name="certificates"),
        path("peserta/<int:pk>/pindah/", participants.participant_move_view, name="move"),
        path("sesi/<int:pk>/", checkin.session_page, name="session"),
        path("sesi/<int:pk>/qr.svg", checkin.session_qr, name="session_qr"),
        path("hadir/", checkin.checkin_code, name="checkin_code"),
        path("hadir/<str:token>/", checkin.checkin_token, name="checkin"),
        path("personel/", people.persons, name="persons"),
        path("personel/impor/", people.persons_import, name="persons_import"),
        path("personel/<int:pk>/", people.person_page, name="person"),
        path("kebutuhan/<int:pk>/", people.survey_page, name="survey"),
        path("kebutuhan/<int:pk>/impor/", people.survey_import, name="survey_import"),
        path("kebutuhan/<int:pk>/isi/<int:person>/", people.survey_fill, name="survey_fill"),
        path("kurikulum/", people.curriculum, name="curriculum"),
        path("kaskade/<str:code>/", people.cascade, name="cascade"),
        path("kaskade/<str:code>/lapisan.geojson", people.cascade_geojson, name="cascade_geojson"),
    ],
    "training",
)

monitoring_urls = (
    [
        path("dasbor/", monitoring.dashboard_page, name="nation_dashboard"),
        path("dasbor/<str:code>/", monitoring.dashboard_page, name="dashboard"),
        path("kpi/<str:code>/", monitoring.kpi_page, name="kpi"),
        path("kpi/nilai/<int:pk>/<str:action>/", monitoring.kpi_value_action, name="kpi_action"),
        path("kelembagaan/<str:code>/", monitoring.institutions_page, name="institutions"),
        path("kelembagaan/lembaga/<int:pk>/", monitoring.institution_page, name="institution"),
        path("laporan-kemajuan/<str:code>/laporan.<str:fmt>", monitoring.report_download, name="report"),
        path("konstruksi/wilayah/<str:code>/", construction.activity_list, name="activities"),
        path("konstruksi/<int:pk>/", construction.activity_page, name="activity"),
        path("konstruksi/foto/<int:pk>/", construction.photo_view, name="photo"),
        path("konstruksi/foto/<int:pk>/kecil/", construction.photo_view, {"small": True}, name="photo_small"),
        path("kpp/wilayah/<str:code>/", kpp.kpp_list, name="kpp_list"),
        path("kpp/<int:pk>/", kpp.kpp_page, name="kpp"),
        path("konstruksi/<int:pk>/ubah/", monitoring_edit.activity_edit, name="activity_edit"),
        path("kpp/<int:pk>/ubah/", kpp.kpp_edit, name="kpp_edit"),
    ],
    "monitoring",
)

urlpatterns = [
    path("", include(core_urls)),
    path("akun/", include(accounts_urls)),
    path("pengguna/", include(users_urls)),
    path("", include(regions_urls)),
    path("", include(baseline_urls)),
    path("", include(planning_urls)),
    path("pelatihan/", include(training_urls)),
    path("", include(monitoring_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]
