from django.apps import AppConfig


class StoryConfig(AppConfig):
    name = "mend.story"
    label = "story"
