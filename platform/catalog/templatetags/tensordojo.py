from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ dict|get_item:key }} — templates cannot index by a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def ms(seconds):
    return "" if seconds is None else f"{seconds * 1000:.3f} ms"
