"""CDP Delivery Tracker: the delivery plan of a local Combating Drugs Partnership."""
