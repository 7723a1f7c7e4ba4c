<?php
// Static test users ('username:password' => attributes). Test-only passwords.
$config = [
    'admin' => ['core:AdminPassword'],
    'e2e-userpass' => [
        'exampleauth:UserPass',
        'alice:alice-pw' => [
            'uid' => ['alice'],
            'displayName' => ['Alice Admin'],
            'email' => ['alice@example.test'],
            'groups' => ['portal-admins', 'staff'],
        ],
        'bob:bob-pw' => [
            'uid' => ['bob'],
            'displayName' => ['Bob User'],
            'email' => ['bob@example.test'],
            'groups' => ['staff'],
        ],
    ],
];
