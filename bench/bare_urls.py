from django.urls import path

from bench.urls import constant

urlpatterns = [path("bench/bare/", constant)]
