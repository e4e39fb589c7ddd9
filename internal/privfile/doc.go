// Package privfile keeps eulagate's files private to the user that runs it,
// following the file-permission practice of SQLite and PostgreSQL.
//
// # What is private
//
// The data directory is created with mode 0700. The database, its -wal and
// -shm files, the log's signing key, the CSRF secret and the witness files
// are 0600, whatever the umask: Create, WriteFile and Ensure set the mode
// after creating. SQLite creates a database with the umask and gives the
// -wal and -shm files the database file's mode, so Ensure creates the
// database file before SQLite opens it.
//
// # What is refused and what is repaired
//
// Like PostgreSQL, which refuses to start on a data directory with group or
// other access, Dir refuses a directory that group or other users can write:
// they could replace the database or the key. A directory they can only
// read or search is accepted, since its files are private on their own.
//
// A data file open to others (a database written by an earlier version,
// or under a loose umask) is repaired: Restrict takes the access away and
// says so. A secret open to others is refused instead, as OpenSSH refuses
// a private key others can read (CheckSecret): it may have been copied, and
// whether to replace it is for its owner to decide.
//
// # Windows
//
// Windows keeps access in ACLs and reports mode bits that mean nothing:
// there the package creates files and directories but checks and changes
// no modes.
package privfile
