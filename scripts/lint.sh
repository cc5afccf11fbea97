#!/usr/bin/env bash
# Lint, one definition for make lint, make check and make test: ruff (rules and formatting)
# and vulture for dead code, at 60% confidence (unused functions, classes, methods and
# attributes, not only unreachable lines). What Django, Celery, templates and settings use by
# name is in scripts/vulture_whitelist.py, each line saying where; the Django conventions vulture
# cannot know (Meta, admin options, commands, app configs) are the names ignored below.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
say "lint (ruff, vulture)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check --quiet . || { echo "run: .venv/bin/ruff format ."; exit 1; }
django_names="Meta,model,fields,list_display,list_filter,search_fields,list_editable,readonly_fields,can_delete"
django_names+=",show_change_link,verbose_name,verbose_name_plural,default_auto_field,name,app_name,urlpatterns"
django_names+=",Command,help,handle,add_arguments,template_name,ready,*Config,*Admin,*Inline,lookup_field,clean_*"
django_names+=",has_*_permission,ordering,indexes,constraints,autocomplete_fields,label_from_instance,parser_classes"
django_names+=",authentication_classes,permission_classes,serializer_class,queryset,application,inlines,actions"
django_names+=",raw_id_fields,date_hierarchy,site_header,site_title,help_text,get_*"
"$VENV/bin/vulture" grader platform tensordojo_cli bench exercises scripts/vulture_whitelist.py --min-confidence 60 \
    --exclude "*/migrations/*,*/mistakes/*,*/unnamed/*,*/lines/*,*/solution.py,*/starter.py,grader/templates/*,*/models.py,platform/config/settings.py,platform/config/test_settings.py" \
    --ignore-names "$django_names" \
    --ignore-decorators "@*.register,@register.*,@shared_task,@*.connect,@receiver,@admin.*,@extend_schema*,@property,@*.setter,@*.fixture,@*.filter,@*.simple_tag,@*.inclusion_tag"
