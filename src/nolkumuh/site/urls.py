from django.urls import include, path

from nolkumuh.accounts import views as accounts
from nolkumuh.baseline import views as baseline
from nolkumuh.core import job_views as core_jobs
from nolkumuh.core import views as core
from nolkumuh.planning import cost_views as planning_costs
from nolkumuh.planning import views as planning
from nolkumuh.regions import map_views as maps
from nolkumuh.regions import views as regions

core_urls = (
    [
        path("", core.home, name="home"),
        path("cari/", core.search, name="search"),
        path("bantuan/", core.help_page, name="help"),
        path("bantuan/img/<str:name>", core.help_image, name="help_image"),
        path("tugas/<uuid:pk>/", core_jobs.job_page, name="job"),
        path("tugas/<uuid:pk>/unduh/", core_jobs.job_download, name="job_download"),
    ],
    "core",
)
accounts_urls = (
    [
        path("masuk/", accounts.login_view, name="login"),
        path("keluar/", accounts.logout_view, name="logout"),
        path("saya/", accounts.home, name="home"),
    ],
    "accounts",
)
regions_urls = (
    [
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
        path("data/<str:code>/<int:year>/", baseline.kelurahan_data, name="kelurahan"),
        path("data/<str:code>/<int:year>/rt-baru/", baseline.rt_new, name="rt_new"),
        path("data/<str:code>/<int:year>/rt/<int:pk>/", baseline.rt_edit, name="rt_edit"),
        path("data/<str:code>/<int:year>/pratinjau/", baseline.rt_preview, name="rt_preview"),
        path("data/<str:code>/<int:year>/templat.xlsx", baseline.template_download, name="template"),
        path("data/<str:code>/<int:year>/<str:action>/", baseline.transition, name="transition"),
        path("impor/<int:year>/", baseline.import_start, name="import"),
        path("impor/konfirmasi/<str:token>/", baseline.import_confirm, name="import_confirm"),
        path("impor/tandai/<str:token>/", baseline.import_marked, name="import_marked"),
        path("unduh/<str:code>/", baseline.export, name="export"),
        path("kelengkapan/<str:code>/", baseline.completeness, name="completeness"),
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
        path("realisasi/<str:code>/<int:year>/baru/", planning.realization_new, name="realization_new"),
        path("realisasi/<int:pk>/<str:action>/", planning.realization_action, name="realization_action"),
        path("rencana/<int:pk>/memorandum.xlsx", planning.plan_xlsx, name="xlsx"),
        path("rencana/harga/<str:code>/", planning_costs.unit_costs, name="unit_costs"),
        path("rencana/<int:pk>/realisasi-kawasan/", planning.realization_kawasan, name="realization_kawasan"),
    ],
    "planning",
)

urlpatterns = [
    path("", include(core_urls)),
    path("akun/", include(accounts_urls)),
    path("", include(regions_urls)),
    path("", include(baseline_urls)),
    path("", include(planning_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]
