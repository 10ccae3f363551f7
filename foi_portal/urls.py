from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "FOI responses: administration"
admin.site.site_title = "FOI responses"

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("library/", include("exemptions.urls")),
    path("", include("responses.urls")),
]

# A request too large to read (RequestDataTooBig and friends) says so on a GOV.UK page;
# 403, 404 and 500 use the templates of the same names.
handler400 = "responses.views.errors.bad_request"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
