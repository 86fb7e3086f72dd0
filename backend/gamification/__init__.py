"""Points, levels, badges, missions and bonuses."""
