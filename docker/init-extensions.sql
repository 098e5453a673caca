create extension if not exists vector;
create extension if not exists age;
