"""The cooperation network's layers: agreements, province–province links, firm peers, roads."""
