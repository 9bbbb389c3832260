from django.urls import path

from mend.live import stream

app_name = "live"
urlpatterns = [
    path("live/stream/", stream.stream, name="stream"),
    # Where the stream was before it moved out of safety (#15): API clients use it.
    path("safety/stream/", stream.stream, name="stream_before_15"),
]
