"""Permanent turn numbers (issue 15).

Every existing turn is numbered with its primary key (unique, never reused
by the database), the counter starts after the largest, and every permalink
issued so far, /interviews/<slug>/<seq>/, is kept as a LegacyLink to the
turn it pointed at today, so that it leads to those words for ever.
"""

import django.core.serializers.json
import django.db.models.deletion
from django.db import migrations, models


def number_the_turns(apps, schema_editor):
    Turn, LegacyLink, Counter = (apps.get_model("interviews", name) for name in ("Turn", "LegacyLink", "Counter"))
    Turn.objects.update(number=models.F("pk"))
    rows = Turn.objects.order_by("pk").values_list("pk", "seq", "article__slug")
    LegacyLink.objects.bulk_create((LegacyLink(slug=slug, seq=seq, number=pk) for pk, seq, slug in rows.iterator()), batch_size=1000)
    last = Turn.objects.aggregate(last=models.Max("pk"))["last"] or 0
    Counter.objects.update_or_create(name="turn", defaults={"value": last})


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0004_verbose_names_for_the_admin'),
    ]

    operations = [
        migrations.CreateModel(
            name='Counter',
            fields=[
                ('name', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('value', models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='RemovedTurn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveBigIntegerField(unique=True)),
                ('article_id', models.BigIntegerField(db_index=True, null=True)),
                ('article_slug', models.CharField(db_index=True, max_length=80)),
                ('article_title', models.CharField(max_length=300)),
                ('kind', models.CharField(choices=[('question', 'question'), ('answer', 'answer'), ('narration', 'narration'), ('heading', 'heading'), ('caption', 'caption')], max_length=10)),
                ('speaker_name', models.CharField(blank=True, max_length=200)),
                ('text', models.TextField()),
                ('text_hans', models.TextField()),
                ('text_hant', models.TextField()),
                ('source_text', models.TextField(blank=True, help_text='What the source said, if the turn came from one.')),
                ('by_source', models.BooleanField(default=False, help_text='Removed because a corrected source no longer has it.')),
                ('removed', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'removed turn',
                'verbose_name_plural': 'removed turns',
                'ordering': ['-removed', '-number'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='edits',
            field=models.JSONField(blank=True, default=dict, editable=False, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text='Fields an editor changed, each with the value the source had given.'),
        ),
        migrations.AddField(
            model_name='turn',
            name='added_by_editor',
            field=models.BooleanField(default=False, editable=False, help_text='Added in the admin, not read from the source: re-imports keep it.', verbose_name='added by an editor'),
        ),
        migrations.AddField(
            model_name='turn',
            name='edits',
            field=models.JSONField(blank=True, default=dict, editable=False, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text='Fields an editor changed, each with the value the source had given.'),
        ),
        migrations.AddField(
            model_name='turn',
            name='number',
            field=models.PositiveBigIntegerField(editable=False, help_text="The turn's permalink, /t/<number>/: never changes, never given to another turn.", null=True, unique=True, verbose_name='permanent number'),
        ),
        migrations.CreateModel(
            name='FormerSlug',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('until', models.DateTimeField(auto_now_add=True)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='former_slugs', to='interviews.article')),
            ],
            options={
                'verbose_name': 'former address',
                'verbose_name_plural': 'former addresses',
                'ordering': ['-until'],
            },
        ),
        migrations.CreateModel(
            name='LegacyLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.CharField(max_length=80)),
                ('seq', models.PositiveIntegerField()),
                ('number', models.PositiveBigIntegerField()),
            ],
            options={
                'verbose_name': 'old turn link',
                'verbose_name_plural': 'old turn links',
                'ordering': ['slug', 'seq'],
                'constraints': [models.UniqueConstraint(fields=('slug', 'seq'), name='one_legacy_link_per_position')],
            },
        ),
        migrations.RunPython(number_the_turns, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='turn',
            name='number',
            field=models.PositiveBigIntegerField(editable=False, help_text="The turn's permalink, /t/<number>/: never changes, never given to another turn.", unique=True, verbose_name='permanent number'),
        ),
    ]
