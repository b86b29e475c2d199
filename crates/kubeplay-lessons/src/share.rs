pub const _TODO: () = ();
