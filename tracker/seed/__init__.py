"""Load a partnership from the YAML files in seeds/<partnership>/ (see seeds/README.md).

Every file is validated before anything is written (schema: the records, reusing the tables' Base
models; read: parsing and the references between files), and a problem stops the load with a
message naming the file, the record and the field. Loading (load) is idempotent: a partnership
whose slug is already in the database is left as it is.
"""

from tracker.seed.load import load_partnership, seed_database
from tracker.seed.read import read_seed_dir
from tracker.seed.schema import FILES, SeedError

__all__ = ["FILES", "SeedError", "load_partnership", "read_seed_dir", "seed_database"]
