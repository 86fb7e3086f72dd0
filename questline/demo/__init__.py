"""The demo data set behind `questline demo`: players, weeks of play, journeys in every
state and everything they sent, made through the product's own services and engine.
Nothing here prints: the command shows progress through the `Progress` it hands in."""

from questline.demo.build import Login, Summary, build, has_data
from questline.demo.options import NoProgress, Options, Progress

__all__ = ["Login", "NoProgress", "Options", "Progress", "Summary", "build", "has_data"]
