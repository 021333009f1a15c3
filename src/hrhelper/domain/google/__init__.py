"""Connected Google accounts and what hrhelper keeps of their Calendar and Drive."""
