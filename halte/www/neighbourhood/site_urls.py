from django.urls import path

from halte.www.neighbourhood import board, transparency

urlpatterns = [
    path("sites/<uuid:site_id>/abords/", board.board, name="site_board"),
    path("public/", transparency.network, name="public_network"),
    path("public/sites/<uuid:site_id>/", transparency.site_page, name="public_site"),
]
