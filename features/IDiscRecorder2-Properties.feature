@method:IDiscRecorder2.Properties
Feature: IDiscRecorder2 properties
  The recorder's identity (INQUIRY: VendorId, ProductId, ProductRevision), the host-side facts
  (ActiveDiscRecorder, VolumeName, VolumePathNames, LegacyDeviceNumber) and what the drive answers
  anew each time (features, profiles, mode pages, DeviceCanLoadMedia), each async in this SDK since it
  costs a command. A drive reached over iSCSI has no volume on this host.

  Background:
    Given a drive with any disc
    And client "A" opens the recorder

  Scenario Outline: S_OK — <property> is a string of 1 to <max> characters (INQUIRY)
    When client "A" reads <property>
    Then it succeeds with a string of 1 to <max> characters

    Examples:
      | property        | max |
      | vendorId        | 8   |
      | productId       | 16  |
      | productRevision | 4   |

  Scenario Outline: S_OK — <property> of a drive without a host volume is <value>
    When client "A" reads <property>
    Then it succeeds with <value>

    Examples:
      | property           | value |
      | volumeName         | ""    |
      | volumePathNames    | []    |
      | legacyDeviceNumber | 0     |

  Scenario: S_OK — activeDiscRecorder is the unique id the recorder was opened with
    When client "A" reads activeDiscRecorder
    Then it succeeds with the unique id of the drive

  Scenario: S_OK — the supported profiles cover CD, DVD and BD recording; the current one is CD-R's
    Given a drive with a blank CD-R
    When client "A" reads getSupportedProfiles
    Then it succeeds with a list that includes 9, 10, 17, 26, 27, 65, 67
    When client "A" reads getCurrentProfiles
    Then it succeeds with [9]

  Scenario: S_OK — the current profile follows the media: DVD+R (1Bh)
    Given a drive with a blank DVD+R
    When client "A" reads getCurrentProfiles
    Then it succeeds with [27]

  Scenario: S_OK — feature pages: Track At Once (2Dh) and CD Mastering (2Eh) are supported and current on CD-R
    Given a drive with a blank CD-R
    When client "A" reads getSupportedFeaturePages
    Then it succeeds with a list that includes 1, 3, 45, 46
    When client "A" reads getCurrentFeaturePages
    Then it succeeds with a list that includes 45, 46

  Scenario: S_OK — mode pages: write parameters (05h) and capabilities (2Ah)
    When client "A" reads getSupportedModePages
    Then it succeeds with a list that includes 5, 42

  Scenario: S_OK — the drive can load media (tray)
    When client "A" reads getDeviceCanLoadMedia
    Then it succeeds with true

  Scenario Outline: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — <property> of a closed recorder
    Given client "A" closes the recorder
    When client "A" reads <property>
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

    Examples:
      | property             |
      | vendorId             |
      | getSupportedProfiles |
      | getCurrentFeaturePages |

  @fault
  Scenario: E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF) — a malformed GET CONFIGURATION reply
    Given the drive will report "invalid response" on the next GET CONFIGURATION command
    When client "A" reads getSupportedProfiles
    Then it fails with E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF)

  @not-reachable
  Scenario: E_POINTER (0x80004003) — cannot happen in this API: values are returned, there is no out pointer
    Then the row E_POINTER (0x80004003) is documented as not reachable from the TypeScript API
