<?php
// 1. Portal's SAML SP (sign-in): entityID <origin>/saml, ACS <origin>/saml/acs (SSP_PORTAL_ORIGIN).
$portal = rtrim(getenv('SSP_PORTAL_ORIGIN') ?: 'http://127.0.0.1:5480', '/');
$metadata[$portal . '/saml'] = [
    'AssertionConsumerService' => $portal . '/saml/acs',
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    'simplesaml.nameidattribute' => 'uid',
    'validate.authnrequest' => false,
];

// 2. The AWS sign-in endpoint, as every IdP configures it for AWS federation: responses for it are what
//    AssumeRoleWithSAML accepts (Recipient https://signin.aws.amazon.com/saml, Audience urn:amazon:webservices).
//    The browser never reaches it: the tests intercept the POST and take the SAMLResponse. The Role attribute is
//    "role ARN,provider ARN" (SSP_AWS_ROLE); RoleSessionName is the uid.
$metadata['urn:amazon:webservices'] = [
    'AssertionConsumerService' => 'https://signin.aws.amazon.com/saml',
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    'simplesaml.nameidattribute' => 'uid',
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
    'authproc' => [
        10 => [
            'class' => 'core:AttributeAdd',
            'https://aws.amazon.com/SAML/Attributes/Role' => [getenv('SSP_AWS_ROLE') ?: 'unset'],
        ],
        11 => [
            'class' => 'core:AttributeCopy',
            'uid' => 'https://aws.amazon.com/SAML/Attributes/RoleSessionName',
        ],
    ],
];
