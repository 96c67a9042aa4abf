from django.urls import path

from motcua.index import views

app_name = "index"
urlpatterns = [
    path("<str:period>/<int:unit_id>/loi-ich/", views.gains, name="gains"),
    path("<str:period>/<int:unit_id>/<str:indicator>/", views.drill_down, name="drill_down"),
]
