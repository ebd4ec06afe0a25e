"""Pre-recipe files (inferred files, kept sources) move from DATA_DIR/datasets/ to DATA_DIR/recipe-inputs/."""

from django.conf import settings
from django.db import migrations

from apps.datasets.recipe_inputs import move_recipe_inputs


def forwards(apps, schema_editor):
    move_recipe_inputs(settings.DATA_DIR)


def backwards(apps, schema_editor):
    move_recipe_inputs(settings.DATA_DIR, back=True)


class Migration(migrations.Migration):
    dependencies = [("datasets", "0003_recipes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
